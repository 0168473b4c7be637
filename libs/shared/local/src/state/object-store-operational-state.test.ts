import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { describeOperationalStateConformance } from '@relabel/ports/testing';
import { createFsObjectStore } from '../object-store/fs-object-store';
import { createObjectStoreOperationalStateStore } from './object-store-operational-state.adapter';

describeOperationalStateConformance('object store (folder)', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'relabel-state-store-'));
  return {
    open: () => createObjectStoreOperationalStateStore({ store: createFsObjectStore({ root, bucket: 'b' }) }),
    cleanup: () => fs.rm(root, { recursive: true, force: true }),
  };
});

describe('object-store operational state', () => {
  it('keeps one object per item under state/operational/ and refuses a corrupt one', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'relabel-state-store-'));
    try {
      const store = createFsObjectStore({ root, bucket: 'b' });
      const state = createObjectStoreOperationalStateStore({ store });
      await state.set('activeModelVersion', 'v7');
      expect(JSON.parse((await store.get('state/operational/activeModelVersion.json')).body.toString('utf8'))).toMatchObject({ value: 'v7' });
      await store.put('state/operational/versionsInFlight.json', Buffer.from('{"value": "v8"}'));
      await expect(state.get('versionsInFlight')).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
      await expect(state.set('lastDeployedDatasetImages', -1)).rejects.toMatchObject({ code: 'CONTRACT_INVALID_PAYLOAD' });
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
