import { useState, type SyntheticEvent } from 'react';
import { Alert, Button, Label, TextInput } from '@/components/ui/uswds';
import { Page } from '@/components/ui/page';
import { useSession } from '@/lib/auth';
import { CognitoError } from '@/lib/cognito';

type Step =
  | { kind: 'sign-in' }
  | { kind: 'new-password'; session: string; username: string }
  | { kind: 'forgot' }
  | { kind: 'reset'; email: string };

/** The user pool's password policy (infra/template.yaml), said before the person types. */
const PASSWORD_RULE = 'At least 12 characters, with upper and lower case letters and a digit';

/** A new password: at an invited colleague's first sign-in and after a forgotten password. */
function NewPasswordField({ id, value, onChange }: { id: string; value: string; onChange: (value: string) => void }) {
  return (
    <>
      <Label htmlFor={id} hint={PASSWORD_RULE}>
        New password
      </Label>
      <TextInput
        id={id}
        hint
        name="new-password"
        type="password"
        autoComplete="new-password"
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
        }}
        required
      />
    </>
  );
}

const messageOf = (error: unknown) =>
  error instanceof CognitoError ? error.message : 'Something went wrong. Try again.';

/** Sign in; an invited colleague's first sign-in (new password); a forgotten password. */
export function SignIn({ expired }: { expired: boolean }) {
  const session = useSession();
  const [step, setStep] = useState<Step>({ kind: 'sign-in' });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = (work: () => Promise<void>) => (event: SyntheticEvent) => {
    event.preventDefault();
    void attempt(work);
  };

  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const errorAlert = error ? (
    <Alert type="error" headingLevel="h2" heading="Not signed in" role="alert">
      {error}
    </Alert>
  ) : null;

  if (step.kind === 'new-password') {
    return (
      <Page title="Choose your password">
        <p>This is your first sign-in: choose a password to replace the temporary one from your invitation.</p>
        {errorAlert}
        <form
          className="usa-form"
          onSubmit={run(async () => {
            await session.completeNewPassword(step.session, step.username, newPassword);
          })}
        >
          <NewPasswordField id="new-password" value={newPassword} onChange={setNewPassword} />
          <Button type="submit" disabled={busy}>
            Set password and sign in
          </Button>
        </form>
      </Page>
    );
  }

  if (step.kind === 'forgot' || step.kind === 'reset') {
    return (
      <Page title="Reset your password">
        {errorAlert}
        {step.kind === 'forgot' ? (
          <form
            className="usa-form"
            onSubmit={run(async () => {
              await session.cognito.forgotPassword(email.trim());
              setStep({ kind: 'reset', email: email.trim() });
            })}
          >
            <p>We will email you a code to choose a new password.</p>
            <Label htmlFor="forgot-email">Email address</Label>
            <TextInput
              id="forgot-email"
              name="email"
              type="email"
              autoComplete="username"
              value={email}
              onChange={(e) => {
                setEmail(e.target.value);
              }}
              required
            />
            <Button type="submit" disabled={busy}>
              Email me a code
            </Button>
          </form>
        ) : (
          <form
            className="usa-form"
            onSubmit={run(async () => {
              await session.cognito.confirmForgotPassword(step.email, code.trim(), newPassword);
              setNotice('Your password is changed: sign in with it.');
              setPassword('');
              setStep({ kind: 'sign-in' });
            })}
          >
            <p>We sent a code to {step.email}.</p>
            <Label htmlFor="reset-code">Code from the email</Label>
            <TextInput
              id="reset-code"
              name="code"
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              value={code}
              onChange={(e) => {
                setCode(e.target.value);
              }}
              required
            />
            <NewPasswordField id="reset-password" value={newPassword} onChange={setNewPassword} />
            <Button type="submit" disabled={busy}>
              Change password
            </Button>
          </form>
        )}
        <p>
          <button
            type="button"
            className="usa-button usa-button--unstyled"
            onClick={() => {
              setStep({ kind: 'sign-in' });
            }}
          >
            Back to sign in
          </button>
        </p>
      </Page>
    );
  }

  return (
    <Page title="Sign in">
      {expired ? (
        <Alert type="info" headingLevel="h2" heading="Your session ended">
          Sign in again to go on. Anything you typed is kept on this device and saved once you are signed in.
        </Alert>
      ) : null}
      {notice ? (
        <Alert type="success" headingLevel="h2" heading="Password changed">
          {notice}
        </Alert>
      ) : null}
      {errorAlert}
      <form
        className="usa-form"
        onSubmit={run(async () => {
          const result = await session.signIn(email, password);
          if (result.kind === 'new-password-required') {
            setStep({ kind: 'new-password', session: result.session, username: result.username });
          }
        })}
      >
        <Label htmlFor="email">Email address</Label>
        <TextInput
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => {
            setEmail(e.target.value);
          }}
          required
        />
        <Label htmlFor="password" hint="Invited? Use the temporary password from your invitation">
          Password
        </Label>
        <TextInput
          id="password"
          hint
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
          }}
          required
        />
        <Button type="submit" disabled={busy}>
          Sign in
        </Button>
      </form>
      <p>
        <button
          type="button"
          className="usa-button usa-button--unstyled"
          onClick={() => {
            setError(null);
            setStep({ kind: 'forgot' });
          }}
        >
          Forgot your password?
        </button>
      </p>
    </Page>
  );
}
