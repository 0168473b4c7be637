import { runServer } from '@relabel/platform';
import { buildApp } from './app';

void runServer({ service: 'config-watcher', build: buildApp });
