import { CAREER_STAGES, ROLE_FOCUSES, type AvailabilitySlot, type CareerStage, type RoleFocus } from '../matching/types.ts';

/**
 * The words members may use for role focus, career stage and availability, with
 * the everyday aliases people actually type ("tech services", "weekends").
 */

const ROLE_ALIASES: Record<string, RoleFocus> = {
  reference: 'reference',
  'user-services': 'reference',
  academic: 'academic',
  university: 'academic',
  college: 'academic',
  public: 'public',
  school: 'school',
  archives: 'archives',
  archive: 'archives',
  'special-collections': 'archives',
  'technical-services': 'technical-services',
  'tech-services': 'technical-services',
  technical: 'technical-services',
  cataloging: 'technical-services',
  cataloguing: 'technical-services',
  metadata: 'technical-services',
  management: 'management',
  manager: 'management',
  leadership: 'management',
};

export function roleFocusOf(word: string): RoleFocus | null {
  return ROLE_ALIASES[word.toLowerCase()] ?? null;
}

export function careerStageOf(word: string): CareerStage | null {
  const w = word.toLowerCase();
  if ((CAREER_STAGES as readonly string[]).includes(w)) return w as CareerStage;
  return ({ mlis: 'student', new: 'early', entry: 'early', 'mid-career': 'mid', experienced: 'senior' } as Record<string, CareerStage>)[w] ?? null;
}

const DAYS = { weekday: ['weekday'], weekdays: ['weekday'], weekend: ['weekend'], weekends: ['weekend'] } as const;
const PARTS = { mornings: 'mornings', morning: 'mornings', afternoons: 'afternoons', afternoon: 'afternoons', evenings: 'evenings', evening: 'evenings' } as const;

/** Maps one availability word to slots; null when the word is not about availability. */
export function availabilityOf(word: string): AvailabilitySlot[] | null {
  const w = word.toLowerCase();
  if (w === 'anytime' || w === 'flexible') return [];
  const [day, part] = w.split('-') as [string, string | undefined];
  const days = (DAYS as Record<string, readonly string[]>)[day];
  const partName = part ? (PARTS as Record<string, string>)[part] : undefined;
  if (days && part && partName) return days.map((d) => `${d}-${partName}` as AvailabilitySlot);
  if (days && !part) return days.flatMap((d) => ['mornings', 'afternoons', 'evenings'].map((p) => `${d}-${p}` as AvailabilitySlot));
  const only = (PARTS as Record<string, string>)[w];
  if (only) return ['weekday', 'weekend'].map((d) => `${d}-${only}` as AvailabilitySlot);
  return null;
}

export const ROLE_WORDS = ROLE_FOCUSES.join(', ');
export const STAGE_WORDS = CAREER_STAGES.join(', ');
export const AVAILABILITY_WORDS = 'weekdays, weekends, mornings, afternoons, evenings, weekday-evenings, weekend-mornings, anytime';
