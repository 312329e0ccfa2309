import type { RoleFocus } from '../matching/types.ts';

/**
 * Mock-interview question sets per role focus, written for library roles. Each
 * set mixes behavioural, scenario and motivation questions so a 30-minute half
 * has more than enough to choose from.
 */
export const PRACTICE_QUESTIONS: Record<RoleFocus, readonly string[]> = {
  reference: [
    'Walk me through a reference interview where the patron\'s first question was not what they really needed.',
    'How do you decide between a quick answer and teaching a patron to find it themselves?',
    'A patron asks for medical or legal advice at the desk. What do you do?',
    'Which databases or sources do you reach for first, and why?',
    'Tell me about a time you handled a difficult or upset patron.',
    'How would you assess whether our virtual reference service is working?',
    'How do you keep current with new resources and tools?',
    'Describe how you would answer a question outside your subject knowledge.',
    'How would you make the reference desk welcoming to people who rarely ask for help?',
  ],
  academic: [
    'How would you build relationships with faculty in a department that rarely uses the library?',
    'Describe a one-shot instruction session you designed. What would you change?',
    'How do you assess student learning in library instruction?',
    'What do you see as the library\'s role in supporting research data management?',
    'How would you approach collection development for a new academic programme?',
    'Tell me about a time you collaborated across departments on a project.',
    'How do you incorporate information literacy frameworks into your teaching?',
    'What does open access mean for our collections budget and our users?',
    'How would you support graduate students writing theses and dissertations?',
  ],
  public: [
    'How would you design a programme for an underserved group in our community?',
    'Describe how you would handle a challenge to a book in the collection.',
    'A patron is experiencing a crisis in the library. What do you do?',
    'How do you measure whether a programme succeeded?',
    'Tell me about partnering with a community organisation.',
    'How would you help a patron with a job application on a public computer?',
    'What does intellectual freedom mean to you in daily practice?',
    'How do you balance quiet study needs with lively programming in one space?',
    'How would you explain the library\'s value to a local council member?',
  ],
  school: [
    'How would you collaborate with classroom teachers on a research unit?',
    'Describe a lesson you taught on evaluating online information.',
    'How do you build a collection that reflects every student in the school?',
    'A parent objects to a book their child borrowed. How do you respond?',
    'How do you encourage reading for pleasure among reluctant readers?',
    'How would you support digital citizenship across grade levels?',
    'Tell me about managing a library with limited staff or volunteers.',
    'How do you show the library\'s impact on student achievement?',
  ],
  archives: [
    'Walk me through how you would process a newly acquired collection with no existing order.',
    'How do you decide what to digitise first?',
    'Describe your experience with finding aids and descriptive standards such as DACS or EAD.',
    'How would you handle a donor who wants restrictions on access?',
    'A researcher needs material that is fragile. What do you do?',
    'How do you approach born-digital records?',
    'How would you make an archive more accessible to communities it has overlooked?',
    'Tell me about a time you balanced preservation with access.',
  ],
  'technical-services': [
    'How would you explain the difference between MARC, RDA and BIBFRAME to a new colleague?',
    'Describe a cataloguing problem you solved.',
    'How would you clean up inconsistent metadata across a large collection?',
    'What is your experience with an ILS or library services platform migration?',
    'How do you prioritise a growing backlog?',
    'How do you approach authority control and inclusive subject headings?',
    'Tell me about managing e-resources and troubleshooting access problems.',
    'How would you measure the quality of our catalogue records?',
  ],
  management: [
    'How would you lead a team through a significant change, such as a new system or reorganisation?',
    'Describe a time you managed a budget cut.',
    'How do you support the professional development of your staff?',
    'Tell me about a conflict on a team you led and how you resolved it.',
    'How would you set priorities for the library\'s next three years?',
    'How do you make hiring decisions fair and inclusive?',
    'How do you advocate for the library with administrators or funders?',
    'What data would you use to make a case for a new service?',
  ],
};
