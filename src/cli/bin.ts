#!/usr/bin/env node
/**
 * The executable entry of `dts-sync-check`. Kept apart from main.ts because a bundled module
 * cannot tell whether it is the entry (`require.main`).
 */
import { main } from './main';
import { runAsProcess } from '../lookup/one-shot';

runAsProcess('dts-sync-check', main);
