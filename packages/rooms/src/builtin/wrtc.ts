// @roamhq/wrtc is CommonJS; its typings re-export the DOM WebRTC types, which is what we program against.
import wrtc from '@roamhq/wrtc';

export const { RTCPeerConnection, MediaStream, nonstandard } = wrtc;
