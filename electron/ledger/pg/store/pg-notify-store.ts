import type pg from 'pg';

/**
 * PostgreSQL's NOTIFY/LISTEN, the statements the change feed (pg-change-feed.ts) sends: a notification on a channel,
 * and the subscription of the feed's own connection to it. The channel is a fixed identifier, never a user's text.
 */
export async function notify(pool: pg.Pool, channel: string, payload: string): Promise<void> {
  await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
}

export async function listen(client: pg.Client, channel: string): Promise<void> {
  if (!/^[a-z_]+$/.test(channel)) throw new RangeError(`Not a channel name: ${channel}`);
  await client.query(`LISTEN ${channel}`);
}
