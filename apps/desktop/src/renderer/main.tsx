import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { detectEnvironment } from './environment';
import { isPopoutLocation, POPOUT_READY } from './state/popout';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('❌ #root is missing from index.html');

const fixture = import.meta.env.DEV ? new URLSearchParams(window.location.search).get('fixture') : null;

if (isPopoutLocation(window.location)) {
  // 🖥️ A screen-share pop-out: the window that opened it fills it (state/popout.ts); nothing boots here.
  document.body.classList.add('popout');
  document.title = 'Miscord — screen share';
  document.body.dataset.popout = POPOUT_READY;
} else if (import.meta.env.DEV && fixture !== null) {
  const root = createRoot(container);
  // Development only (tree-shaken from builds): render screens from fixture state, no gateway needed.
  void import('./fixtures/FixtureApp').then(({ FixtureApp }) =>
    root.render(
      <StrictMode>
        <FixtureApp name={fixture} />
      </StrictMode>,
    ),
  );
} else {
  const root = createRoot(container);
  void detectEnvironment().then((environment) =>
    root.render(
      <StrictMode>
        <App environment={environment} />
      </StrictMode>,
    ),
  );
}
