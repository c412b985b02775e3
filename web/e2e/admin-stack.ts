/** Steps of the admin specs done beside the API: a bounce as SES reports it, national staff with no grant. */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { stack } from './stack';

/** What SES's configuration set puts on the default bus for a permanent bounce (moto's EventBridge). */
export async function bounce(email: string): Promise<void> {
  const { moto_url: moto } = stack().info;
  const region = (stack().info as { region?: string }).region ?? 'us-east-1';
  const detail = { eventType: 'Bounce', mail: { messageId: 'web-e2e' }, bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: email }] } };
  const response = await fetch(`${moto}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSEvents.PutEvents',
      // moto reads the service and region from the credential scope; it checks no signature.
      Authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${region}/events/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify({ Entries: [{ Source: 'aws.ses', DetailType: 'Email Bounced', Detail: JSON.stringify(detail) }] }),
  });
  const answer = (await response.json()) as { FailedEntryCount?: number };
  if (!response.ok || answer.FailedEntryCount !== 0) throw new Error(`PutEvents: ${JSON.stringify(answer)}`);
}

/**
 * National staff holding no grant (the API cannot invite national staff: the operator's bootstrap
 * records them), with ``password`` set: national_staff.py, in the running stack's environment.
 */
export function nationalStaffWithoutGrant(email: string, password: string): void {
  const root = resolve(import.meta.dirname, '../..');
  const python = process.env.PYTHON ?? resolve(root, '.venv/bin/python');
  execFileSync(python, [resolve(import.meta.dirname, 'national_staff.py'), stack().stateDir, email, password], { cwd: root, stdio: 'pipe' });
}
