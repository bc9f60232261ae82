// Entry point: styles, the app, and the session's boot.
import { render } from 'preact';
import './styles.css';
import { boot } from './state/app';
import { App } from './ui/App';

render(<App />, document.getElementById('app')!);
void boot();
