// A schedule table of the same shape as packages/db's (its own name, channel and statuses), to show
// the scheduler is table-agnostic. It reuses the migration's notify_schedule_changed() trigger function.
import type { PrismaClient } from '@game-scheduler/db';
import type { DueRowTable } from '../../src/index.ts';

export const JOBS_TABLE: DueRowTable = {
  name: 'test_jobs',
  channel: 'test_jobs_changed',
  doneStatus: 'DONE',
  columns: ['label'],
};

export async function createJobsTable(prisma: PrismaClient): Promise<void> {
  const statements = [
    `CREATE TABLE test_jobs (
       id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       label text NOT NULL,
       due_at timestamptz(3) NOT NULL,
       status text NOT NULL DEFAULT 'PENDING',
       attempts integer NOT NULL DEFAULT 0,
       next_attempt_at timestamptz(3),
       last_error text,
       traceparent text,
       created_at timestamptz(3) NOT NULL DEFAULT now(),
       updated_at timestamptz(3) NOT NULL DEFAULT now())`,
    `CREATE INDEX test_jobs_pending_due_at_idx ON test_jobs (due_at) WHERE status = 'PENDING'`,
    `CREATE TRIGGER test_jobs_notify AFTER INSERT OR UPDATE ON test_jobs
       FOR EACH ROW WHEN (NEW.status = 'PENDING')
       EXECUTE FUNCTION notify_schedule_changed('test_jobs_changed')`,
    `CREATE TABLE test_effects (row_id uuid NOT NULL, label text NOT NULL)`,
  ];
  for (const statement of statements) await prisma.$executeRawUnsafe(statement);
}

export async function resetJobs(prisma: PrismaClient): Promise<void> {
  await prisma.$executeRawUnsafe('TRUNCATE test_jobs, test_effects');
}

/** Inserts a job due `inMs` from now (negative: overdue); returns its id. */
export async function insertJob(
  prisma: PrismaClient,
  label: string,
  inMs: number,
  traceparent: string | null = null,
): Promise<string> {
  const [row] = await prisma.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO test_jobs (label, due_at, traceparent)
     VALUES ($1, now() + $2 * interval '1 millisecond', $3) RETURNING id::text AS id`,
    label,
    inMs,
    traceparent,
  );
  if (row === undefined) throw new Error('insert returned nothing');
  return row.id;
}

export interface JobState {
  label: string;
  status: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
}

export async function jobStates(prisma: PrismaClient): Promise<Map<string, JobState>> {
  const rows = await prisma.$queryRawUnsafe<JobState[]>(
    'SELECT label, status, attempts, last_error, next_attempt_at FROM test_jobs',
  );
  return new Map(rows.map((row) => [row.label, row]));
}

export async function effectLabels(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.$queryRawUnsafe<{ label: string }[]>(
    'SELECT label FROM test_effects ORDER BY label',
  );
  return rows.map((row) => row.label);
}
