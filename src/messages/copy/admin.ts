import { actions, b, button, fields, heading, link, list, message, p } from '../build.ts';
import type { Message, MessageFile } from '../model.ts';

/** Copy for moderators (/network-admin) and the safety tools members use. */

export const ADMIN_ACTIONS = {
  resolveReport: 'admin.resolve_report',
  rsvpGoing: 'meetup.going',
  rsvpNotGoing: 'meetup.not_going',
  confirmDelete: 'privacy.confirm_delete',
  cancelDelete: 'privacy.cancel_delete',
} as const;
export const SETUP_FORM = 'admin.setup';
export const MEETUP_FORM = 'admin.meetup';

export const settingsSaved = (changed: string[]): Message => message(p('Settings saved: ', changed.join(', '), '.'));

export const settingsView = (rows: [string, string][]): Message =>
  message(heading('Community settings'), fields(rows), p('Change them with /network-admin setup (a form) or /network-admin setup key=value.'));

export const promptList = (rows: { key: string; theme: string; text: string; disabled: boolean }[]): Message =>
  message(
    heading('Weekly prompts'),
    list(rows.map((r) => [b(r.key), ` (${r.theme}${r.disabled ? ', disabled' : ''}): `, r.text])),
    p('Add one with /network-admin prompts add theme: text · disable with /network-admin prompts disable KEY'),
  );
export const promptAdded = (key: string): Message => message(p('Prompt ', b(key), ' added to the rotation.'));
export const promptToggled = (key: string, disabled: boolean): Message => message(p('Prompt ', b(key), disabled ? ' disabled.' : ' enabled.'));
export const promptPreview = (text: string | null): Message =>
  message(p(b('Next prompt: '), text ?? 'none: every prompt is disabled.'));

export const roundRan = (groups: number, unplaced: number): Message =>
  message(p(`Round done: ${groups} ${groups === 1 ? 'group' : 'groups'} introduced`, unplaced ? `, ${unplaced} could not be placed (each was told why).` : '.'));

export const removed = (name: string, cancelled: number): Message =>
  message(p(b(name), ` is removed: no more matches. ${cancelled} pending ${cancelled === 1 ? 'match was' : 'matches were'} cancelled and the others told kindly.`));

export const matchCancelledNote = (): Message =>
  message(p('A match you were part of has been cancelled, so there is nothing more to do for it. Sorry for the change of plan.'));

export const reportList = (rows: { ref: number; id: string; reporter: string; subject: string; reason: string; at: string }[]): Message =>
  rows.length === 0
    ? message(p('No open reports.'))
    : message(
        heading('Open reports'),
        ...rows.flatMap((r) => [
          p(`#${r.ref} (${r.at.slice(0, 10)}) `, b(r.reporter), ' reported ', b(r.subject), ': ', r.reason),
          actions(button(ADMIN_ACTIONS.resolveReport, `Resolve #${r.ref}`, r.id)),
        ]),
      );
export const reportResolved = (ref: number): Message => message(p(`Report #${ref} is resolved.`));
export const reportAlreadyResolved = (): Message => message(p('That report was already resolved.'));

export const reportToModerators = (ref: number, reporter: string, subject: string, reason: string): Message =>
  message(heading('New report'), p(`#${ref}: `, b(reporter), ' reported ', b(subject), ':'), p(reason), p('See open reports with /network-admin reports'));
export const reportThanks = (): Message =>
  message(p('Thank you for telling us. The moderators will look at it privately; the person you reported is not told who reported them.'));

export const blocked = (name: string): Message =>
  message(p('Done. You will not be matched with ', b(name), ' again, in either direction. They are not told.'));

export const opportunityPosted = (ref: number): Message => message(p(`Opportunity #${ref} is posted and will appear in the digest and /network orgs.`));
export const opportunity = (organisation: string, title: string, url: string | null): Message =>
  message(heading('Volunteer opening'), p(b(organisation), ': ', title), ...(url ? [p(link(url, 'Details'))] : []));

export const orgs = (common: { name: string; count: number }[], openings: { organisation: string; title: string; link: string | null }[]): Message =>
  message(
    heading('Professional groups'),
    common.length
      ? list(common.map((c) => [b(c.name), ` (${c.count} of your connections)`]))
      : p('None of your connections list an organisation yet. Add yours with /network profile orgs="..."'),
    p(b('Open volunteer and committee roles')),
    openings.length ? list(openings.map((o) => [b(o.organisation), ': ', o.title, ...(o.link ? [' ', link(o.link, 'details')] : [])])) : p('None posted right now.'),
  );

/** The numbers the stats message shows; the stats flow computes them. */
export interface StatsView {
  members: number;
  optedIn: number;
  activeOffers: number;
  openAsks: number;
  introductionsMade: number;
  accepted: number;
  met: number;
  thanked: number;
  medianHoursToIntroduction: number | null;
  asksNobodyTook: number;
}

export const statsMessage = (s: StatsView, files: MessageFile[]): Message => ({
  ...message(
    heading('Community stats'),
    fields([
      ['Members', String(s.members)],
      ['Opted in to rounds', String(s.optedIn)],
      ['Active offers', String(s.activeOffers)],
      ['Open asks now', String(s.openAsks)],
      ['Introductions made', String(s.introductionsMade)],
      ['Intro requests accepted', String(s.accepted)],
      ['Met (from check-ins)', String(s.met)],
      ['Thanked', String(s.thanked)],
      ['Median time from ask to introduction', s.medianHoursToIntroduction === null ? 'n/a' : `${s.medianHoursToIntroduction} hours`],
      ['Asks nobody has taken yet', String(s.asksNobodyTook)],
    ]),
    p('The chart shows the last 12 weeks: introductions (blue) and meetings that happened (orange).'),
  ),
  files,
});

export const exportReady = (files: MessageFile[]): Message => ({ ...message(p('Your export is ready: ', files.map((f) => f.name).join(', '), '.')), files });
export const nonModeratorRefusal = (): Message =>
  message(p('Only moderators can use /network-admin. Nothing was changed. If you think you should be one, ask a workspace or server admin.'));

export const deleteConfirm = (): Message =>
  message(
    heading('Delete your data?'),
    p('This deletes your profile, offers and open asks, and anonymises your past matches so others\' history stays intact. It cannot be undone.'),
    actions(button(ADMIN_ACTIONS.confirmDelete, 'Delete my data', 'confirm', 'danger'), button(ADMIN_ACTIONS.cancelDelete, 'Keep my data', 'cancel')),
  );
export const deleteDone = (): Message => message(p('Your personal data has been deleted. Thank you for being part of the community.'));
export const deleteCancelled = (): Message => message(p('Nothing was deleted.'));
