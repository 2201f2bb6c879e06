// The four illustrated public avatars: looks only. Geometry comes from the shared template mesh.
import type { FaceShape } from './template-mesh.js';

export type HairStyle = 'curls' | 'short' | 'long' | 'fringe';
export type Neckline = 'crew' | 'v' | 'collar';

export interface CharacterStyle {
  slug: string;
  name: string;
  tags: string[];
  shape: FaceShape;
  skin: string;
  lip: string;
  iris: string;
  brow: string;
  hair: { style: HairStyle; colour: string; highlight: string };
  clothing: { colour: string; accent: string; neckline: Neckline };
  background: { top: string; bottom: string };
  blush: number;
  /** Heavier upper lash line with a small flick. */
  lashes: boolean;
  freckles: boolean;
  earrings?: string;
  seed: number;
}

export const CHARACTERS: CharacterStyle[] = [
  {
    slug: 'ada',
    name: 'Ada',
    tags: ['illustrated', 'woman', 'curly hair'],
    shape: { faceWidth: 1.0, jawWidth: 0.96, eyeSize: 1.06, lipFullness: 1.15, mouthWidth: 0.98 },
    skin: '#8a5a3c',
    lip: '#8e4a44',
    iris: '#3b2314',
    brow: '#1f1410',
    hair: { style: 'curls', colour: '#1c1512', highlight: '#4a3426' },
    clothing: { colour: '#d89b2b', accent: '#b47a16', neckline: 'crew' },
    background: { top: '#2f6f73', bottom: '#173c42' },
    blush: 0.1,
    lashes: true,
    freckles: false,
    earrings: '#e8c35a',
    seed: 11,
  },
  {
    slug: 'milo',
    name: 'Milo',
    tags: ['illustrated', 'man', 'short hair'],
    shape: { faceWidth: 1.04, jawWidth: 1.05, eyeSize: 0.96, lipFullness: 0.85, mouthWidth: 0.95 },
    skin: '#e8b898',
    lip: '#c27c6e',
    iris: '#4f7a9a',
    brow: '#5a3a22',
    hair: { style: 'short', colour: '#6b4428', highlight: '#9a6a40' },
    clothing: { colour: '#2d3e63', accent: '#e9edf3', neckline: 'collar' },
    background: { top: '#f0dcc4', bottom: '#c9a98a' },
    blush: 0.12,
    lashes: false,
    freckles: true,
    seed: 23,
  },
  {
    slug: 'nora',
    name: 'Nora',
    tags: ['illustrated', 'woman', 'long hair'],
    shape: { faceWidth: 0.96, jawWidth: 0.95, eyeSize: 1.04, lipFullness: 1.05, mouthWidth: 0.96 },
    skin: '#f1c9ae',
    lip: '#c9685f',
    iris: '#4e7a4a',
    brow: '#7a3f22',
    hair: { style: 'long', colour: '#a44a22', highlight: '#d27a42' },
    clothing: { colour: '#3f6b4f', accent: '#2f523b', neckline: 'v' },
    background: { top: '#d9d2ee', bottom: '#a99fc9' },
    blush: 0.16,
    lashes: true,
    freckles: false,
    seed: 37,
  },
  {
    slug: 'kai',
    name: 'Kai',
    tags: ['illustrated', 'man', 'fringe'],
    shape: { faceWidth: 1.0, jawWidth: 1.02, eyeSize: 0.9, lipFullness: 0.95, mouthWidth: 0.97 },
    skin: '#d9a77c',
    lip: '#b06a5c',
    iris: '#2a1a12',
    brow: '#15110f',
    hair: { style: 'fringe', colour: '#141214', highlight: '#3a3640' },
    clothing: { colour: '#8e9aa6', accent: '#6f7b87', neckline: 'crew' },
    background: { top: '#f2a48a', bottom: '#c96f5a' },
    blush: 0.08,
    lashes: false,
    freckles: false,
    seed: 53,
  },
];
