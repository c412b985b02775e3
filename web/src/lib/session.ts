/**
 * The signed-in session. ID and access tokens live in memory only (this module); the refresh
 * token is kept in sessionStorage so a reload in the same tab stays signed in, and closing the
 * tab ends the session (docs/web.md says why that is safe enough). Tokens never go in a URL or
 * a log.
 */
import { CognitoClient, CognitoError, claimsOf, type SignInResult, type Tokens } from './cognito';

const REFRESH_KEY = 'nqms.session.refresh';
/** What Cognito answers for a refresh token it no longer honours (expired, revoked, user gone). */
const SESSION_OVER = new Set(['NotAuthorizedException', 'UserNotFoundException']);
const EMAIL_KEY = 'nqms.session.email';
/** Renew this long before the ID token expires (and never use one closer to expiry). */
const RENEW_BEFORE_MS = 2 * 60 * 1000;

export type SessionState =
  | { status: 'starting' }
  | { status: 'signed-out'; reason?: 'expired' | 'signed-out' }
  | { status: 'signed-in'; email: string; userId: string };

export class SignedOut extends Error {
  constructor() {
    super('Not signed in');
  }
}

export class Session {
  private tokens: Tokens | null = null;
  private state: SessionState = { status: 'starting' };
  private listeners = new Set<() => void>();
  private renewing: Promise<string> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly cognito: CognitoClient,
    private readonly storage: Storage = sessionStorage,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): SessionState => this.state;

  private set(state: SessionState): void {
    this.state = state;
    this.listeners.forEach((l) => {
      l();
    });
  }

  /** After a reload: renew from the stored refresh token, if there is one. */
  async resume(): Promise<void> {
    const refresh = this.storage.getItem(REFRESH_KEY);
    if (!refresh) {
      this.set({ status: 'signed-out' });
      return;
    }
    try {
      await this.renew();
    } catch {
      this.set({ status: 'signed-out', reason: 'expired' });
    }
  }

  async signIn(email: string, password: string): Promise<SignInResult> {
    const result = await this.cognito.signIn(email.trim(), password);
    if (result.kind === 'signed-in') this.accept(result.tokens);
    return result;
  }

  async completeNewPassword(session: string, username: string, password: string): Promise<void> {
    this.accept(await this.cognito.completeNewPassword(session, username, password));
  }

  signOut(reason: 'expired' | 'signed-out' = 'signed-out'): void {
    const refresh = this.storage.getItem(REFRESH_KEY);
    if (refresh && reason === 'signed-out') void this.cognito.revoke(refresh).catch(() => undefined);
    this.storage.removeItem(REFRESH_KEY);
    this.tokens = null;
    clearTimeout(this.timer);
    this.set({ status: 'signed-out', reason });
  }

  /** A valid ID token for the API, renewed first when it is about to expire. */
  async idToken(): Promise<string> {
    if (this.tokens && this.tokens.expiresAt - Date.now() > RENEW_BEFORE_MS / 2) return this.tokens.idToken;
    if (!this.storage.getItem(REFRESH_KEY)) throw new SignedOut();
    return this.renew();
  }

  /** The API said 401: renew once (another tab may have revoked, or the clock is off). */
  async renewAfterRejection(): Promise<string> {
    return this.renew();
  }

  private renew(): Promise<string> {
    this.renewing ??= (async () => {
      const refresh = this.storage.getItem(REFRESH_KEY);
      if (!refresh) throw new SignedOut();
      try {
        const tokens = await this.cognito.refresh(refresh);
        this.accept({ ...tokens, refreshToken: refresh });
        return tokens.idToken;
      } catch (error) {
        // Only the pool's refusal of the refresh token ends the session; a network error, a
        // body cut off by a reload or a server error leaves it to the next try.
        if (error instanceof CognitoError && SESSION_OVER.has(error.code)) this.signOut('expired');
        throw error;
      } finally {
        this.renewing = null;
      }
    })();
    return this.renewing;
  }

  private accept(tokens: Tokens): void {
    this.tokens = tokens;
    if (tokens.refreshToken) this.storage.setItem(REFRESH_KEY, tokens.refreshToken);
    const claims = claimsOf(tokens.idToken);
    const email = typeof claims.email === 'string' ? claims.email : '';
    this.storage.setItem(EMAIL_KEY, email);
    clearTimeout(this.timer);
    const wait = Math.max(tokens.expiresAt - Date.now() - RENEW_BEFORE_MS, 5_000);
    this.timer = setTimeout(() => void this.renew().catch(() => undefined), wait);
    if (this.state.status !== 'signed-in' || this.state.email !== email) {
      this.set({ status: 'signed-in', email, userId: typeof claims.sub === 'string' ? claims.sub : '' });
    }
  }
}
