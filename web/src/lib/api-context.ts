import { createContext, use } from 'react';
import type { ApiClient } from './api-client';

export const ApiContext = createContext<ApiClient | null>(null);

export function useApi(): ApiClient {
  const api = use(ApiContext);
  if (!api) throw new Error('useApi outside AppProvider');
  return api;
}

/** The client for the API's public routes, usable signed out. */
export const PublicApiContext = createContext<ApiClient | null>(null);

export function usePublicApi(): ApiClient {
  const api = use(PublicApiContext);
  if (!api) throw new Error('usePublicApi outside AppProvider');
  return api;
}
