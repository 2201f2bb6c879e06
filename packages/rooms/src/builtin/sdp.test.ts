import { describe, expect, it } from 'vitest';
import {
  candidateAddresses,
  capVideoBandwidth,
  keepLoopbackCandidates,
  limitOpusPlaybackRate,
  offerProblem,
} from './sdp.js';

const offer = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:abcd',
  'a=ice-pwd:abcdefghijklmnopqrstuvwx',
  'a=fingerprint:sha-256 00:11',
  'a=candidate:1 1 udp 2122260223 192.0.2.2 50000 typ host generation 0',
  'a=candidate:2 1 udp 2122194687 127.0.0.1 50001 typ host generation 0',
  'a=candidate:3 1 udp 2122129151 abcd.local 50002 typ host generation 0',
  'a=candidate:4 1 udp 1686052607 203.0.113.9 50003 typ srflx raddr 192.0.2.2 rport 50000',
  '',
].join('\r\n');

describe('sdp', () => {
  it('keeps only 127.0.0.1 candidates and every other line', () => {
    const kept = keepLoopbackCandidates(offer);
    expect(candidateAddresses(kept)).toEqual(['127.0.0.1']);
    expect(kept.split('\r\n').length).toBe(offer.split('\r\n').length - 3);
    expect(kept).toContain('a=ice-ufrag:abcd');
  });

  it('asks the Opus encoder for wideband unless the offer already asks for less', () => {
    const audio = [
      'm=audio 9 UDP/TLS/RTP/SAVPF 111 0',
      'a=rtpmap:111 opus/48000/2',
      'a=fmtp:111 minptime=10;useinbandfec=1',
      'a=rtpmap:0 PCMU/8000',
      'a=fmtp:0 x=1',
      '',
    ].join('\r\n');
    const limited = limitOpusPlaybackRate(audio, 16_000);
    expect(limited).toContain('a=fmtp:111 minptime=10;useinbandfec=1;maxplaybackrate=16000\r\n');
    expect(limited).toContain('a=fmtp:0 x=1\r\n');
    const higher = audio.replace('useinbandfec=1', 'maxplaybackrate=48000;useinbandfec=1');
    expect(limitOpusPlaybackRate(higher, 16_000)).toContain(
      'a=fmtp:111 minptime=10;useinbandfec=1;maxplaybackrate=16000\r\n',
    );
    const lower = audio.replace('useinbandfec=1', 'useinbandfec=1;maxplaybackrate=8000');
    expect(limitOpusPlaybackRate(lower, 16_000)).toBe(lower);
  });

  it('says what is wrong with an unusable offer', () => {
    expect(offerProblem(offer)).toBeNull();
    expect(offerProblem(undefined)).toMatch(/SDP offer/);
    expect(offerProblem('hello')).toMatch(/v=0/);
    expect(offerProblem('v=0\r\ns=-\r\n')).toMatch(/no audio or video/);
    expect(offerProblem(offer.replace('a=fingerprint:sha-256 00:11\r\n', ''))).toMatch(/fingerprint/);
    expect(offerProblem(`v=0\r\n${'x'.repeat(70_000)}`)).toMatch(/larger than/);
  });
});

describe('capVideoBandwidth', () => {
  const av = [
    'v=0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'c=IN IP4 0.0.0.0',
    'a=mid:0',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'c=IN IP4 0.0.0.0',
    'a=mid:1',
    '',
  ].join('\r\n');

  it('adds b=AS after the c= line of video sections only', () => {
    const lines = capVideoBandwidth(av, 1000).split('\r\n');
    expect(lines.filter((l) => l.startsWith('b='))).toEqual(['b=AS:1000']);
    expect(lines[lines.indexOf('b=AS:1000') - 1]).toBe('c=IN IP4 0.0.0.0');
    expect(lines[lines.indexOf('b=AS:1000') - 2]).toMatch(/^m=video/);
  });

  it('lowers a larger b=AS and keeps a smaller one', () => {
    const withAs = (kbps: number) => av.replace('a=mid:1', `b=AS:${kbps}\r\na=mid:1`);
    expect(capVideoBandwidth(withAs(5000), 1000)).toContain('b=AS:1000');
    expect(capVideoBandwidth(withAs(5000), 1000)).not.toContain('b=AS:5000');
    expect(capVideoBandwidth(withAs(300), 1000)).toContain('b=AS:300');
    expect(capVideoBandwidth(withAs(300), 1000)).not.toContain('b=AS:1000');
  });
});
