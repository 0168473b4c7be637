import { createAwsClients } from './aws-clients';

describe('AWS clients', () => {
  it('gives every client the configured region and endpoint, S3 path-style behind a custom endpoint', async () => {
    const clients = createAwsClients({ region: 'eu-central-1', endpoint: 'http://127.0.0.1:4566' });
    for (const client of [clients.s3(), clients.sqs(), clients.ssm(), clients.sns(), clients.rekognition(), clients.a2i()]) {
      expect(await client.config.region()).toBe('eu-central-1');
      const endpoint = await client.config.endpoint!();
      expect(`${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`).toBe('http://127.0.0.1:4566');
    }
    expect(clients.s3().config.forcePathStyle).toBe(true);
    clients.destroy();
  });

  it('builds each client once, on first use, and leaves the endpoint to the SDK when none is configured', async () => {
    const clients = createAwsClients({ region: 'us-east-1' });
    expect(clients.sns()).toBe(clients.sns());
    expect(clients.s3().config.forcePathStyle).toBe(false);
    expect(clients.s3().config.endpoint).toBeUndefined();
    clients.destroy();
  });
});
