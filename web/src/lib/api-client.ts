/** The only place that knows about HTTP: a typed client generated from openapi.json. */
import createClient, { type Client } from 'openapi-fetch';
import type { paths, components } from '@/types/api.gen';
import type { Session } from './session';

export type Schemas = components['schemas'];
export type ApiClient = Client<paths>;

/** An RFC 9457 problem from the API, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Record<string, unknown> | null,
  ) {
    super(
      typeof problem?.detail === 'string'
        ? problem.detail
        : status === 0
          ? 'Cannot reach NQMS Cloud. Check your connection.'
          : `The server answered ${status}.`,
    );
  }

  get transient(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

export function createApiClient(baseUrl: string, session: Session): ApiClient {
  const authFetch = async (request: Request): Promise<Response> => {
    const send = async (token: string) => {
      const attempt = request.clone();
      attempt.headers.set('Authorization', `Bearer ${token}`);
      try {
        return await fetch(attempt);
      } catch {
        throw new ApiError(0, null);
      }
    };
    const response = await send(await session.idToken());
    if (response.status !== 401) return response;
    return send(await session.renewAfterRejection());
  };
  return createClient<paths>({ baseUrl, fetch: authFetch });
}

/** The public routes (the partner directory): no token, no session. */
export function createPublicApiClient(baseUrl: string): ApiClient {
  const plainFetch = async (request: Request): Promise<Response> => {
    try {
      return await fetch(request);
    } catch {
      throw new ApiError(0, null);
    }
  };
  return createClient<paths>({ baseUrl, fetch: plainFetch });
}

/** The data of an openapi-fetch result, or an ApiError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok && result.data !== undefined) return result.data;
  if (result.response.ok && result.response.status === 204) return undefined as T;
  throw new ApiError(result.response.status, (result.error ?? null) as Record<string, unknown> | null);
}

/**
 * A versioned save that was refused: a 409 carries what a colleague saved as `current` (null when
 * nothing is stored yet); anything else is an ApiError. `T` is the resource saved: the problem
 * schema leaves `current` untyped.
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- see above
export function conflictOrThrow<T>(result: { error?: unknown; response: Response }): {
  kind: 'conflict';
  current: T | null;
} {
  const problem = (result.error ?? null) as Record<string, unknown> | null;
  if (result.response.status === 409 && problem && 'current' in problem) {
    return { kind: 'conflict', current: (problem.current ?? null) as T | null };
  }
  throw new ApiError(result.response.status, problem);
}
