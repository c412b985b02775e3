/**
 * The user pool's API, called from the browser (AWS JSON 1.1 over HTTPS; no SDK needed).
 * Flows the app client allows: USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH (and SRP, unused here).
 */
export type Tokens = {
  idToken: string;
  accessToken: string;
  /** Absent after a refresh: Cognito keeps the same refresh token. */
  refreshToken?: string;
  /** Epoch milliseconds when the ID token expires. */
  expiresAt: number;
};

export type SignInResult =
  | { kind: 'signed-in'; tokens: Tokens }
  | { kind: 'new-password-required'; session: string; username: string };

export class CognitoError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type AuthenticationResult = {
  IdToken: string;
  AccessToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
};

type AuthResponse = {
  AuthenticationResult?: AuthenticationResult;
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  Session?: string;
};

const FRIENDLY: Record<string, string> = {
  NotAuthorizedException: 'The email or password is not right.',
  UserNotFoundException: 'The email or password is not right.',
  InvalidPasswordException:
    'Choose a password of at least 12 characters with upper and lower case letters, a digit and a symbol.',
  CodeMismatchException: 'That code is not right.',
  ExpiredCodeException: 'That code has expired: ask for a new one.',
  LimitExceededException: 'Too many attempts: wait a few minutes and try again.',
};

export class CognitoClient {
  constructor(
    private readonly endpoint: string,
    private readonly clientId: string,
  ) {}

  private async call<T>(action: string, body: Record<string, unknown>): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.endpoint}/`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': `AWSCognitoIdentityProviderService.${action}`,
        },
        body: JSON.stringify(body),
      });
    } catch {
      throw new CognitoError('NetworkError', 'Cannot reach the sign-in service. Check your connection.');
    }
    let data: Record<string, unknown>;
    try {
      data = (await response.json()) as Record<string, unknown>;
    } catch {
      // A body cut off (the page navigating away, a dropped connection) says nothing about the
      // session: the same as not reaching the service, never a reason to sign out.
      throw new CognitoError('NetworkError', 'Cannot reach the sign-in service. Check your connection.');
    }
    if (!response.ok) {
      const raw = typeof data.__type === 'string' ? data.__type : typeof data.code === 'string' ? data.code : 'Error';
      const type = raw.split('#').pop() ?? 'Error';
      throw new CognitoError(type, FRIENDLY[type] ?? (typeof data.message === 'string' ? data.message : 'Sign-in failed.'));
    }
    return data as T;
  }

  private static tokens(result: AuthenticationResult): Tokens {
    return {
      idToken: result.IdToken,
      accessToken: result.AccessToken,
      ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
      expiresAt: Date.now() + result.ExpiresIn * 1000,
    };
  }

  private static outcome(data: AuthResponse, email: string): SignInResult {
    if (data.AuthenticationResult) {
      return { kind: 'signed-in', tokens: CognitoClient.tokens(data.AuthenticationResult) };
    }
    if (data.ChallengeName === 'NEW_PASSWORD_REQUIRED' && data.Session) {
      const username = data.ChallengeParameters?.USER_ID_FOR_SRP ?? data.ChallengeParameters?.USERNAME ?? email;
      return { kind: 'new-password-required', session: data.Session, username };
    }
    throw new CognitoError('UnsupportedChallenge', `Sign-in needs ${data.ChallengeName ?? 'a step'} this app does not offer.`);
  }

  async signIn(email: string, password: string): Promise<SignInResult> {
    const data = await this.call<AuthResponse>('InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: this.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    });
    return CognitoClient.outcome(data, email);
  }

  async completeNewPassword(session: string, username: string, newPassword: string): Promise<Tokens> {
    const data = await this.call<AuthResponse>('RespondToAuthChallenge', {
      ClientId: this.clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
    });
    const outcome = CognitoClient.outcome(data, username);
    if (outcome.kind !== 'signed-in') throw new CognitoError('NoTokens', 'The new password was not accepted.');
    return outcome.tokens;
  }

  async refresh(refreshToken: string): Promise<Tokens> {
    const data = await this.call<AuthResponse>('InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: this.clientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    });
    if (!data.AuthenticationResult) throw new CognitoError('NoTokens', 'The session could not be renewed.');
    return CognitoClient.tokens(data.AuthenticationResult);
  }

  async forgotPassword(email: string): Promise<void> {
    await this.call('ForgotPassword', { ClientId: this.clientId, Username: email });
  }

  async confirmForgotPassword(email: string, code: string, password: string): Promise<void> {
    await this.call('ConfirmForgotPassword', {
      ClientId: this.clientId,
      Username: email,
      ConfirmationCode: code,
      Password: password,
    });
  }

  async revoke(refreshToken: string): Promise<void> {
    await this.call('RevokeToken', { ClientId: this.clientId, Token: refreshToken });
  }
}

/** The claims of a JWT, unverified (the API verifies; the app only shows them). */
export function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(json) as Record<string, unknown>;
}
