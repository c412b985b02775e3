import { describe, expect, it } from 'vitest';
import { fileSize, fileType } from './documents';

describe('a document link in words', () => {
  it('names the type from the content type', () => {
    expect(fileType('application/pdf')).toBe('PDF');
    expect(fileType('text/csv; charset=utf-8')).toBe('CSV');
  });

  it('says the size as people read it', () => {
    expect(fileSize(812)).toBe('812 bytes');
    expect(fileSize(49_152)).toBe('48 KB');
    expect(fileSize(61_234)).toBe('60 KB');
    expect(fileSize(2_516_582)).toBe('2.4 MB');
  });
});
