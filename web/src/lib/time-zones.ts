/** Every IANA zone the browser knows, with ``preferred`` first if it is missing. */
export function zones(preferred: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return known.includes(preferred) ? known : [preferred, ...known];
}
