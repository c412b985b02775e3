import { afterEach, describe, expect, it, vi } from 'vitest';
import { CognitoClient } from './cognito';
import { Session } from './session';

const ENDPOINT = 'http://cognito.test';

/** A signed-in session (a stored refresh token) whose renewal gets ``answer`` from the pool. */
function sessionRenewingWith(answer: () => Promise<Response>): { session: Session; storage: Storage } {
  vi.stubGlobal('fetch', vi.fn(answer));
  const storage = window.sessionStorage;
  storage.setItem('nqms.session.refresh', 'refresh-token');
  return { session: new Session(new CognitoClient(ENDPOINT, 'client'), storage), storage };
}

describe('renewing the session', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    window.sessionStorage.clear();
  });

  it('keeps the session when the answer is cut off (a reload, a dropped connection)', async () => {
    const cut = () => Promise.resolve(new Response('{"AuthenticationRes', { status: 200 }));
    const { session, storage } = sessionRenewingWith(cut);

    await expect(session.idToken()).rejects.toThrow(/Cannot reach the sign-in service/);
    expect(storage.getItem('nqms.session.refresh')).toBe('refresh-token');
  });

  it('keeps the session when the pool has a server error', async () => {
    const failing = () =>
      Promise.resolve(new Response(JSON.stringify({ __type: 'InternalErrorException' }), { status: 500 }));
    const { session, storage } = sessionRenewingWith(failing);

    await expect(session.idToken()).rejects.toThrow();
    expect(storage.getItem('nqms.session.refresh')).toBe('refresh-token');
  });

  it('ends the session when the pool refuses the refresh token', async () => {
    const refused = () =>
      Promise.resolve(
        new Response(JSON.stringify({ __type: 'NotAuthorizedException', message: 'Refresh Token has expired' }), {
          status: 400,
        }),
      );
    const { session, storage } = sessionRenewingWith(refused);

    await expect(session.idToken()).rejects.toThrow();
    expect(storage.getItem('nqms.session.refresh')).toBeNull();
    expect(session.getState()).toMatchObject({ status: 'signed-out', reason: 'expired' });
  });
});
