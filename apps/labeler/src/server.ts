import { runServer } from '@relabel/platform';
import { buildApp } from './app';

void runServer({ service: 'labeler', build: buildApp });
