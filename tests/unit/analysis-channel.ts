/**
 * Test helper: the analysis worker's protocol in-process, over a real MessageChannel
 * (node:worker_threads: the same structured clone as a browser worker), so tests exercise the
 * client and serveAnalysis exactly as the app does, without spawning a worker.
 */
import { MessageChannel } from 'node:worker_threads';
import { type AnalysisClient, createAnalysisClient, type PortLike } from '../../src/workers/analysis-client';
import { serveAnalysis } from '../../src/workers/analysis.worker';

export interface InProcessAnalysis {
  client: AnalysisClient;
  /** disposes the client and closes both ports */
  close(): void;
}

export function inProcessAnalysis(): InProcessAnalysis {
  const channel = new MessageChannel();
  serveAnalysis(channel.port2 as unknown as PortLike);
  const client = createAnalysisClient(channel.port1 as unknown as PortLike);
  return {
    client,
    close: () => {
      client.dispose();
      channel.port1.close();
      channel.port2.close();
    },
  };
}
