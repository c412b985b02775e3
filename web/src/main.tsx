import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@uswds/uswds/css/uswds.min.css';
import './styles.css';
import { App } from './app';
import { loadConfig } from './config/env';

const root = createRoot(document.getElementById('root') as HTMLElement);

loadConfig()
  .then((config) => {
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    );
  })
  .catch((error: unknown) => {
    root.render(
      <main className="grid-container">
        <h1>NQMS Cloud cannot start</h1>
        <p>{error instanceof Error ? error.message : 'The configuration could not be read.'}</p>
      </main>,
    );
  });
