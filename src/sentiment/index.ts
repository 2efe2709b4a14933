// src/sentiment: text in, signals out. Pure: no database, no network.
export type * from './types';
export { analyzeMessage, complaintTypes, inConversation, modelVersion } from './analyze';
export { escalationRisk } from './risk';
export { trajectory, TRAJECTORY_KEEP, TRAJECTORY_WINDOW } from './trajectory';
export { COMPLAINT_CATEGORIES, COMPLAINT_CLASSES } from './taxonomy';
export { lexiconSentiment } from './lexicon-baseline';
export { modelSummaries, type ModelSummary } from './shipped-models';
