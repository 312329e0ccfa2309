/**
 * The built-in weekly prompts, in Circulate's own words, across the themes of
 * DESIGN.md §1. Keys are stable: rotation history and per-community disabling
 * refer to them, so never renumber; add new ones at the end.
 */
export type PromptTheme = 'reconnect' | 'share' | 'offer' | 'groups' | 'etiquette' | 'practice';

export interface Prompt {
  key: string;
  theme: PromptTheme;
  text: string;
}

export const BUILTIN_PROMPTS: readonly Prompt[] = [
  { key: 'reconnect-1', theme: 'reconnect', text: 'Think of someone who helped you early in your library career. Send them a short hello this week, with no ask attached.' },
  { key: 'share-1', theme: 'share', text: 'What is one resource (a guide, a webinar, a listserv thread) that made your work easier recently? Share it here for others.' },
  { key: 'offer-1', theme: 'offer', text: 'What could you help someone with in a 20-minute conversation? Cataloguing questions, a cover letter read-through, how your library runs storytime? Add it with /offer-help.' },
  { key: 'groups-1', theme: 'groups', text: 'Which professional groups are you part of (a state library association, SAA, ACRL, a local consortium)? Add them to your profile with /network profile orgs="..." so others can find their people.' },
  { key: 'etiquette-1', theme: 'etiquette', text: 'Informational interview tip: name your topic and your two or three questions up front, and keep to the time you asked for. It makes saying yes easy.' },
  { key: 'practice-1', theme: 'practice', text: 'Interviews coming up? Practise with a peer: /interview-practice academic (or public, school, archives, reference, technical-services, management). You each interview the other.' },
  { key: 'reconnect-2', theme: 'reconnect', text: 'Who have you not talked to since a conference or a class? Try /network reconnect for a few names and a friendly hello to start with.' },
  { key: 'share-2', theme: 'share', text: 'Share a small win from your week: a tricky reference question solved, a programme that went well, a record finally cleaned up.' },
  { key: 'offer-2', theme: 'offer', text: 'Giving first builds trust. If you have been in library work for a while, one offer of help this month can change someone\'s job search.' },
  { key: 'groups-2', theme: 'groups', text: 'Volunteering on a committee is one of the best ways to meet colleagues. Seen an open role in a professional group? Share it here.' },
  { key: 'etiquette-2', theme: 'etiquette', text: 'After an informational interview, a thank-you within a day or two goes a long way. Mention one thing you will act on.' },
  { key: 'practice-2', theme: 'practice', text: 'Practise the question you dread most. Pair up with /interview-practice and ask your partner to start with it.' },
  { key: 'reconnect-3', theme: 'reconnect', text: 'Networking is long-term. Pick one past connection and simply ask how their year is going. Nothing more.' },
  { key: 'share-3', theme: 'share', text: 'Which job posting sites, newsletters or lists have been most useful for library jobs in your region? Share one here.' },
  { key: 'offer-3', theme: 'offer', text: 'Returning to library work after a break? Others have done it. If you have, consider offering a chat about it with /offer-help.' },
  { key: 'groups-3', theme: 'groups', text: 'Student members: many associations have low-cost student rates and mentoring schemes. Which ones have you found worthwhile?' },
  { key: 'etiquette-3', theme: 'etiquette', text: 'An informational interview is not a job interview, and not free consulting. Ask about their path and their advice, not for a job.' },
  { key: 'practice-3', theme: 'practice', text: 'Good feedback is specific: one thing that went well, one thing to practise. Try it after your next mock interview.' },
  { key: 'reconnect-4', theme: 'reconnect', text: 'Did someone\'s advice help you land an interview or a role? Let them know. People love hearing how it turned out.' },
  { key: 'share-4', theme: 'share', text: 'Share a question you were asked in a library job interview that made you think. Others can practise with it.' },
  { key: 'offer-4', theme: 'offer', text: 'Specialists are in demand: archives, metadata, data services, UX, youth services. If that is you, an offer of help here is gold.' },
  { key: 'groups-4', theme: 'groups', text: 'Local meetups, regional consortia, online communities: which group made you feel most at home in the profession, and why?' },
  { key: 'etiquette-4', theme: 'etiquette', text: 'Silence is not rejection. If a request goes unanswered, it usually means a busy week. Circulate will ask someone else.' },
  { key: 'practice-4', theme: 'practice', text: 'Preparing a presentation for an academic library interview? Ask a practice partner to be your audience and to time you.' },
  { key: 'share-5', theme: 'share', text: 'What do you wish you had known in your first year of library work? Share one piece of advice.' },
  { key: 'reconnect-5', theme: 'reconnect', text: 'Check in on someone who recently started a new role. A short "how is it going?" is welcome in the first months.' },
];
