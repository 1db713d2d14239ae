/** Entry point: the theme (before the first render), styles, the app, and same-origin links turned into navigations. */
import { render } from 'preact';
import { App } from './app';
import { interceptLinks } from './lib/router';
import { applyTheme } from './lib/theme';
import './styles.css';

applyTheme();
const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
interceptLinks(document.body);
render(<App />, root);
