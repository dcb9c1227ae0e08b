import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { detectEnvironment } from './environment';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('❌ #root is missing from index.html');
const root = createRoot(container);

const fixture = import.meta.env.DEV ? new URLSearchParams(window.location.search).get('fixture') : null;

if (import.meta.env.DEV && fixture !== null) {
  // Development only (tree-shaken from builds): render screens from fixture state, no gateway needed.
  void import('./fixtures/FixtureApp').then(({ FixtureApp }) =>
    root.render(
      <StrictMode>
        <FixtureApp name={fixture} />
      </StrictMode>,
    ),
  );
} else {
  void detectEnvironment().then((environment) =>
    root.render(
      <StrictMode>
        <App environment={environment} />
      </StrictMode>,
    ),
  );
}
