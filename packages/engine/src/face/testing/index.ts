export * from './face-api-samples.js';
export * from './inner-lip-gap.js';
export * from './speech-mouth.js';
