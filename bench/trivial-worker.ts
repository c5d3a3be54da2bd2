/** The baseline worker of (b) as a process of its own: ./trivial-workflow and one no-op activity. Prints READY. */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection, taskQueue: process.env.TASK_QUEUE!, workflowsPath: require.resolve('./trivial-workflow'), activities: { noop: async () => 'ok' },
  });
  process.once('SIGTERM', () => worker.shutdown());
  console.log('READY');
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error('trivial worker failed:', err);
  process.exit(1);
});
