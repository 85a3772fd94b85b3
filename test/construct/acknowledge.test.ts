/**
 * `acknowledge`: a check that has not passed, waived with a reason until an expiry. The rule
 * (forms, limits, what it waives) in fixed time; then the construct at synth time, with expiry
 * dates far from now (a year past, a month ahead) so no test depends on the wall clock's second.
 */
import { DataResource, TerraformStack, Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { fullSynthStack, pointEnvAt, stubbed, testApp } from './support';
import { Enforcement, GateResourceType, SyncCheckResult, SyncCheckResultProps } from '../../src';
import { expiryInstant, parseAcknowledgement, waiverFor } from '../../src/lookup/acknowledgement';

const WARN = '@cdktf/warn';
const INFO = '@cdktf/info';
const DAY = 24 * 60 * 60 * 1000;
const NAMES = { reason: '`acknowledge.reason`', expires: '`acknowledge.expires`' };

/** An ISO date-time `days` from now (whole days: far from any boundary a test could race). */
const fromNow = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const REASON = 'DBA-1234: target has a leftover schema, dropped in the migration window';

describe('the rule, in fixed time', () => {
  const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);

  test.each([
    ['2026-12-31', '2027-01-01T00:00:00.000Z'],
    ['2026-12-31T23:59Z', '2026-12-31T23:59:00.000Z'],
    ['2026-12-31T08:00:00+08:00', '2026-12-31T00:00:00.000Z'],
    ['2026-12-01T10:20:30.5-03:30', '2026-12-01T13:50:30.500Z'],
    ['2024-02-29', '2024-03-01T00:00:00.000Z'],
  ])('expiry %s ends at %s', (expires, instant) => {
    expect(new Date(expiryInstant(expires)!).toISOString()).toBe(instant);
  });

  test.each(['tomorrow', '2026-13-01', '2026-02-30', '2025-02-29', '2026-12-31T10:00', '2026-12-31 10:00Z', '2026-12-31T24:00Z', '2026-12-31T10:00+15:00', '31/12/2026', '2026-12-31Z', ''])(
    'expiry %j is not accepted',
    (expires) => {
      expect(expiryInstant(expires)).toBeUndefined();
      expect(() => parseAcknowledgement(REASON, expires, NOW, NAMES)).toThrow(/`acknowledge\.expires` must be `YYYY-MM-DD` .* or `YYYY-MM-DDTHH:MM\[:SS\[\.sss\]\]` with `Z` or an offset/);
    },
  );

  test('at most 90 days ahead, to the millisecond; any past date is accepted (it simply no longer holds)', () => {
    const limit = new Date(NOW + 90 * DAY).toISOString();
    expect(parseAcknowledgement(REASON, limit, NOW, NAMES).expiresAt).toBe(limit);
    expect(() => parseAcknowledgement(REASON, new Date(NOW + 90 * DAY + 1).toISOString(), NOW, NAMES)).toThrow(
      /`acknowledge\.expires` must be at most 90 days ahead.*latest allowed now is 2027-02-26T12:00:00\.000Z/,
    );
    // A date holds through its end: 89 days after today is the last date that fits.
    expect(() => parseAcknowledgement(REASON, '2027-02-24', NOW, NAMES)).not.toThrow();
    expect(() => parseAcknowledgement(REASON, '2027-02-26', NOW, NAMES)).toThrow(/at most 90 days/);
    expect(parseAcknowledgement(REASON, '2001-01-01', NOW, NAMES).expiresAt).toBe('2001-01-02T00:00:00.000Z');
  });

  test.each([
    ['missing', undefined, /`acknowledge\.reason` must say why the check is waived.*got nothing/],
    ['empty', '', /must say why/],
    ['blank', '   ', /must say why/],
    ['two lines', 'two\nlines', /must be one line without control characters/],
    ['a control character', 'bell\u0007', /must be one line/],
    ['a Terraform interpolation', 'see ${file("/etc/passwd")}', /must not contain "\$\{" or "%\{", which Terraform reads as a template/],
    ['a Terraform directive', '%{ if true }x%{ endif }', /must not contain/],
    ['501 characters long', 'x'.repeat(501), /must be at most 500 characters \(got 501\)/],
  ])('a reason that is %s is refused', (_label, reason, why) => {
    expect(() => parseAcknowledgement(reason, '2026-12-01', NOW, NAMES)).toThrow(why);
  });

  test('it waives an answer that is not a pass while it holds, never a lookup error, and nothing once expired', () => {
    const ack = parseAcknowledgement(REASON, '2026-12-01', NOW, NAMES);
    const failed = { report: { passed: false } } as any;
    const lookupError = { error: { kind: 'credentials', code: 'NoCredentials', message: 'none' } };
    expect(waiverFor(ack, failed, NOW)).toEqual({ waived: true, warning: expect.stringContaining('acknowledged until 2026-12-02T00:00:00.000Z') });
    expect(waiverFor(ack, failed, ack.expiresAtMs - 1).waived).toBe(true);
    expect(waiverFor(ack, failed, ack.expiresAtMs)).toEqual({ waived: false, note: expect.stringMatching(/expired at 2026-12-02T00:00:00\.000Z, so the check is enforced again/) });
    expect(waiverFor(ack, lookupError, NOW)).toEqual({ waived: false, note: expect.stringMatching(/not a lookup that failed/) });
  });
});

describe('the construct', () => {
  function stackWith(entry: unknown, props: Partial<SyncCheckResultProps> = {}) {
    const stack = new TerraformStack(testApp(stubbed({ 'sync-ack00001': entry })), 'stack');
    const check = new SyncCheckResult(stack, 'dr-check', { jobId: 'sync-ack00001', region: 'ap-guangzhou', ...props });
    return { stack, check };
  }
  const messages = (c: SyncCheckResult, type: string) => c.node.metadata.filter((m) => m.type === type).map((m) => String(m.data));
  const gateOf = (stack: TerraformStack) => Object.values(JSON.parse(Testing.synth(stack)).resource.null_resource as Record<string, any>)[0];

  test.each([
    ['without a reason', { expires: fromNow(30) }, /stack\/dr-check: `acknowledge\.reason` must say why/],
    ['without an expiry', { reason: REASON }, /stack\/dr-check: `acknowledge\.expires` must be `YYYY-MM-DD`/],
    ['with an unparseable expiry', { reason: REASON, expires: 'next friday' }, /stack\/dr-check: `acknowledge\.expires` must be .*got "next friday"/],
    ['expiring in 120 days', { reason: REASON, expires: fromNow(120) }, /stack\/dr-check: `acknowledge\.expires` must be at most 90 days ahead/],
    ['expiring in 2999', { reason: REASON, expires: '2999-01-01' }, /at most 90 days ahead/],
  ])('an acknowledgement %s is refused at construction naming the prop', (_label, acknowledge, why) => {
    expect(() => stackWith('failed', { acknowledge: acknowledge as any })).toThrow(why);
  });

  test('a reason known only at apply time is refused: a reviewer must be able to read it', () => {
    const stack = new TerraformStack(testApp(), 'stack');
    const reason = new DataResource(stack, 'r', {}).getStringAttribute('output');
    expect(() => new SyncCheckResult(stack, 'dr-check', { jobId: 'sync-ack00001', region: 'ap-guangzhou', enforcement: Enforcement.APPLY_ONLY, acknowledge: { reason, expires: fromNow(30) } }))
      .toThrow(/stack\/dr-check: `acknowledge\.reason` must be a literal, not a token/);
  });

  test('a failed check acknowledged until a month ahead synthesizes, warning with the reason, the expiry and the failure', () => {
    const expires = fromNow(30);
    const { stack, check } = stackWith('failed', { acknowledge: { reason: REASON, expires } });
    expect(() => fullSynthStack(stack)).not.toThrow();
    const warning = messages(check, WARN).find((w) => w.startsWith('acknowledged until'));
    expect(warning).toContain(`acknowledged until ${expires}`);
    expect(warning).toContain(REASON);
    expect(warning).toMatch(/has not passed[\s\S]*step 1 stubbed check/);
    expect(messages(check, INFO).join('\n')).toContain(`is acknowledged until ${expires}`);
    expect(check.passed).toBe(false);
  });

  test('the acknowledgement is in the gate\'s triggers for reviewers and in its environment for the gate, and forces a re-check on every apply', () => {
    const expires = fromNow(30);
    const { stack, check } = stackWith('failed', { acknowledge: { reason: REASON, expires }, recheckOnEveryApply: false });
    const gate = gateOf(stack);
    expect(gate.triggers).toMatchObject({ acknowledged_until: expires, acknowledgement_reason: REASON, checked_at: '${timestamp()}' });
    expect(gate.provisioner[0]['local-exec'].environment).toMatchObject({ DTS_SYNC_CHECK_ACK_REASON: REASON, DTS_SYNC_CHECK_ACK_EXPIRES: expires });
    expect(gate.provisioner[0]['local-exec'].command).not.toContain(REASON);
    expect(messages(check, INFO).join('\n')).toMatch(/`recheckOnEveryApply` false is ignored with `acknowledge`/);
  });

  test('a terraform_data gate carries it in triggers_replace', () => {
    const { stack } = stackWith('failed', { acknowledge: { reason: REASON, expires: '2020-01-01' }, gateResourceType: GateResourceType.TERRAFORM_DATA });
    const gate = Object.values(JSON.parse(Testing.synth(stack)).resource.terraform_data as Record<string, any>)[0];
    expect(gate.triggers_replace).toMatchObject({ acknowledged_until: '2020-01-02T00:00:00.000Z', acknowledgement_reason: REASON });
  });

  test('an expired acknowledgement is enforced again: synthesis fails, saying it expired', () => {
    const { stack, check } = stackWith('failed', { acknowledge: { reason: REASON, expires: '2020-01-01' } });
    expect(messages(check, WARN).join('\n')).toMatch(/expired at 2020-01-02T00:00:00\.000Z: it waives nothing any more/);
    expect(() => fullSynthStack(stack)).toThrow(/has not passed[\s\S]*the acknowledgement \(reason: "DBA-1234[^)]*\) expired at 2020-01-02T00:00:00\.000Z, so the check is enforced again/);
  });

  test('a check that has not finished is waived like a failed one', () => {
    const running = { passed: false, phase: 'running', status: 'running', reason: 'the check is still running' };
    const { stack, check } = stackWith(running, { acknowledge: { reason: REASON, expires: fromNow(30) } });
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(messages(check, WARN).join('\n')).toMatch(/acknowledged until .*has not (passed|finished)/s);
  });

  test('a lookup that failed is not waived: synthesis fails closed and says why the acknowledgement did not apply', () => {
    const restore = pointEnvAt('http://127.0.0.1:9', null);
    try {
      const stack = new TerraformStack(testApp(), 'stack');
      new SyncCheckResult(stack, 'dr-check', { jobId: 'sync-ack00002', region: 'ap-guangzhou', acknowledge: { reason: REASON, expires: fromNow(30) } });
      expect(() => Testing.synth(stack, true)).toThrow(/could not be read, so it is treated as not passed[\s\S]*waives a check that ran and did not pass, not a lookup that failed/);
    } finally {
      restore();
    }
  });

  test('a passed check with an acknowledgement just passes, with a note that it is not needed', () => {
    const { stack, check } = stackWith('passed', { acknowledge: { reason: REASON, expires: fromNow(30) } });
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(messages(check, INFO).join('\n')).toMatch(/the check passed, so the acknowledgement .* is not needed/);
    expect(messages(check, WARN).filter((w) => /acknowledg/.test(w))).toEqual([]);
  });

  test('report-only enforcement with an acknowledgement still only reports', () => {
    const { stack, check } = stackWith('failed', { enforcement: Enforcement.REPORT_ONLY, acknowledge: { reason: REASON, expires: fromNow(30) } });
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(messages(check, WARN).some((w) => w.startsWith('report-only: '))).toBe(true);
  });

  test('validating twice annotates once', () => {
    const { stack, check } = stackWith('failed', { acknowledge: { reason: REASON, expires: fromNow(30) } });
    Testing.synth(stack, true);
    Testing.synth(stack, true);
    expect(messages(check, WARN).filter((w) => w.startsWith('acknowledged until'))).toHaveLength(1);
  });
});

test('SYNTH_ONLY with a job id known only at apply time is refused: nothing would check it', () => {
  const stack = new TerraformStack(testApp(), 'stack');
  const job = new DataResource(stack, 'job', {});
  expect(() => new SyncCheckResult(stack, 'dr-check', { jobId: job.getStringAttribute('output'), region: 'ap-guangzhou', enforcement: Enforcement.SYNTH_ONLY }))
    .toThrow(/stack\/dr-check: `enforcement` SYNTH_ONLY needs a literal `jobId` and `region`: the job id is a token/);
});
