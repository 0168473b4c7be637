// Integration tests need a real Redis on 127.0.0.1:6379 (Redis is a real dependency: root README, "Failure model"). If none
// answers and redis-server is installed, start a throwaway one for the run; otherwise say how to get it.
const { spawn, spawnSync } = require('child_process');
const net = require('net');

function answers(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.write('PING\r\n');
    });
    socket.setTimeout(1000);
    socket.on('data', (d) => {
      resolve(d.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      resolve(false);
      socket.destroy();
    });
  });
}

module.exports = async function globalSetup() {
  if (await answers(6379)) return;
  if (spawnSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('The tests need Redis on 127.0.0.1:6379. Install it (Debian/Ubuntu: apt-get install -y redis-server) or run `bash .ci/run`.');
  }
  const child = spawn('redis-server', ['--port', '6379', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore', detached: true });
  child.unref();
  for (let i = 0; i < 50 && !(await answers(6379)); i++) await new Promise((r) => setTimeout(r, 100));
  globalThis.__RELABEL_TEST_REDIS__ = child.pid;
};
