import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { boot } from './state/boot';
import { App } from './ui/app';
import './ui/app.css';
import { markOnce } from './state/boot-marks';

markOnce('callsight:main');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void boot();
