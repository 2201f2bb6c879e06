export declare const LIVEKIT_SERVER_VERSION: string;
export declare function livekitServerPath(): string;
export declare function pythonPeersPath(): string;
export declare function ensureLivekitServer(log?: (message: string) => void): string;
export declare function ensurePythonPeers(log?: (message: string) => void): string;
export declare function ensureTestPeers(log?: (message: string) => void): {
  AGENTHUMAN_LIVEKIT_SERVER: string;
  AGENTHUMAN_PEERS_PYTHON: string;
};
/** Adds a veth pair with 198.18.0.1 inside `netns`; returns an error message or null. */
export declare function addTestHostInterface(netns: string, ip?: string): string | null;
