/**
 * The queue-depth metric contract between the application and the workers' autoscaling. The application (every
 * process that owns a BullMQ queue; in practice the api-workers' scheduler) publishes, at least once a minute:
 *
 *   namespace  Platform/BullMQ
 *   metric     QueueDepth   (unit Count: the queue's waiting jobs, `queue.getWaitingCount()`; delayed and active excluded)
 *   dimensions Environment = <environment tag: dev | prod>, Queue = <queue name below>
 *
 * The task roles may call cloudwatch:PutMetricData only with this namespace.
 */
export const BULLMQ_METRIC = Object.freeze({ namespace: "Platform/BullMQ", metricName: "QueueDepth" });

/** The dimensions of one queue's depth metric. */
export function bullmqQueueDimensions(environment: string, queue: string): Record<string, string> {
    return { Environment: environment, Queue: queue };
}
