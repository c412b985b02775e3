import { useProgram } from '@/features/programs/api/get-programs';
import { useMe, servesProgram } from './get-me';

/**
 * How the signed-in person stands towards a program: staff of an affiliate serving it, its own
 * staff, or a reader (national staff). Screens offer only the actions of that role; the API
 * still decides every request.
 */
export type ProgramRole = 'affiliate' | 'program' | 'reader';

export function useProgramRole(programId: string | undefined) {
  const me = useMe();
  const program = useProgram(programId ?? '');
  const pending = me.isPending || (Boolean(programId) && program.isPending);
  let role: ProgramRole = 'reader';
  if (me.data && program.data) {
    if (servesProgram(me.data, program.data)) role = 'affiliate';
    else if (me.data.memberships.some((m) => m.scope === 'program' && m.scope_id === programId)) role = 'program';
  }
  return { pending, role, me: me.data, program: program.data, error: me.error ?? program.error };
}
