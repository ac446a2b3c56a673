// Renderer entry: language from the browser (Spanish by default), the bridge from Electron's
// preload or the web host, then the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { systemClock } from '../shared/clock.ts';
import { createConsoleClient } from './bridge/console-client.ts';
import { pickBridge } from './bridge/pick-bridge.ts';
import { App } from './components/app/App.tsx';
import { MissingBridge } from './components/app/MissingBridge.tsx';
import { createI18n, pickLanguage } from './i18n/index.ts';
import './styles/base.css';
import './components/common/common.css';
import './components/app/app.css';
import './components/inbox/inbox.css';
import './components/conversation/conversation.css';
import './components/composer/composer.css';
import './components/status/status.css';

const i18n = createI18n(pickLanguage(navigator.languages), [initReactI18next]);
document.documentElement.lang = i18n.language;
document.title = i18n.t('app.name');

const choice = pickBridge(systemClock);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      {choice.kind === 'ready' ? (
        <App client={createConsoleClient(choice.bridge)} clock={systemClock} />
      ) : (
        <MissingBridge reason={choice.reason} />
      )}
    </I18nextProvider>
  </StrictMode>,
);
