import { describe, expect, it } from 'vitest';
import { renderViewerPage } from './viewer-page.js';

describe('renderViewerPage', () => {
  it('embeds its config so that no room name or ICE entry can break out of the script or title', () => {
    const html = renderViewerPage({
      roomName: '</script><script>alert(1)</script>',
      whepUrl: '/rooms/x/whep',
      iceServers: [{ urls: 'turn:turn.example.com:3478', username: 'u', credential: '</script>' }],
    });
    expect(html).not.toContain('</script><script>alert(1)');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('<title>Room &#60;/script&#62;');
    const json = /<script type="application\/json" id="room-config">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    const config = JSON.parse(json);
    expect(config.roomName).toBe('</script><script>alert(1)</script>');
    expect(config.iceServers[0].credential).toBe('</script>');
    expect(config.whepUrl).toBe('/rooms/x/whep');
  });

  it('starts muted with a click-to-unmute button and a live state line', () => {
    const html = renderViewerPage({ roomName: 'r', whepUrl: '/rooms/r/whep' });
    expect(html).toMatch(/<video id="video" autoplay playsinline muted>/);
    expect(html).toContain('id="unmute"');
    expect(html).toContain('role="status"');
  });

  it('has a microphone button, hidden unless the page is opened with talk=1 or mic=1', () => {
    const html = renderViewerPage({ roomName: 'r', whepUrl: '/rooms/r/whep' });
    expect(html).toMatch(/<button id="mic" type="button" data-state="off" hidden>Talk<\/button>/);
    expect(html).toContain("params.get('talk') === '1'");
    expect(html).toContain('echoCancellation: true');
  });
});
