import { runServer } from '@relabel/platform';
import { buildApp } from './app';

void runServer({ service: 'detector', build: buildApp });
