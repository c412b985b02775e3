import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useAuthState, useSession } from '@/lib/auth';
import { InvitationsLink } from '@/features/admin/components/invitations-page';
import { NationalReadOnly } from '@/features/admin/components/national-home';

export function Layout({ children }: { children: ReactNode }) {
  const auth = useAuthState();
  const session = useSession();
  return (
    <>
      <a className="usa-skipnav" href="#main-content">
        Skip to main content
      </a>
      <header className="nqms-header">
        <div className="grid-container nqms-header__inner">
          <Link to="/" className="nqms-header__title">
            NQMS Cloud
          </Link>
          {auth.status === 'signed-in' ? (
            <div className="nqms-header__user">
              <span className="nqms-header__email">{auth.email}</span>
              <InvitationsLink />
              <Link to="/settings/notifications" className="nqms-header__link">
                Notifications
              </Link>
              <button
                type="button"
                className="usa-button usa-button--unstyled nqms-header__signout"
                onClick={() => {
                  session.signOut();
                }}
              >
                Sign out
              </button>
            </div>
          ) : null}
        </div>
      </header>
      <main id="main-content" className="grid-container nqms-main" tabIndex={-1}>
        {auth.status === 'signed-in' ? <NationalReadOnly /> : null}
        {children}
      </main>
      <footer className="nqms-footer">
        <div className="grid-container">
          National Quality Mentoring System · <Link to="/directory">Quality programs directory</Link>
        </div>
      </footer>
    </>
  );
}
