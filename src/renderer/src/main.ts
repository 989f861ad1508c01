import { mount } from 'svelte';
import App from './App.svelte';
import { createClient } from './api/client.ts';
import { AppState } from './state/app.svelte.ts';
import 'uplot/dist/uPlot.min.css';
import './styles.css';

const target = document.getElementById('app');
if (!target) throw new Error('no #app element');
mount(App, { target, props: { app: new AppState(createClient()) } });
