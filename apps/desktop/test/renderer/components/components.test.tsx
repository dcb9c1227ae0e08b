import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ConnectionBadge, describeConnection } from '../../../src/renderer/components/ConnectionBadge';
import { type MainActions, MainLayout } from '../../../src/renderer/components/MainLayout';
import { isChannelFull, VoiceChannelItem } from '../../../src/renderer/components/VoiceChannelItem';
import { fixtureViews } from '../../../src/renderer/fixtures/fixtureViews';
import type { ChannelView } from '../../../src/renderer/state/viewTypes';

const noop = () => {};
const actions: MainActions = {
  joinChannel: noop,
  leaveChannel: noop,
  toggleMute: noop,
  toggleDeafen: noop,
  openSettings: noop,
  setPeerVolume: noop,
  togglePeerMuted: noop,
  startShare: async () => {},
  stopShare: noop,
  setSharePreset: noop,
  watchStream: noop,
  stopWatching: noop,
  setStreamVolume: noop,
  loadScreenSources: async () => ({ sources: [], audioAvailable: false }),
  cancelShare: noop,
};

/** Server-rendered markup plus "the opening tag of the element with this test id". */
const parse = (html: string) => ({
  html,
  element: (testId: string): string | undefined =>
    new RegExp(`<[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0],
});

describe('ConnectionBadge', () => {
  it('says what the brief asks for in each state', () => {
    expect(describeConnection({ status: 'voiceConnected', channelName: 'General', pingMs: 20 }).label).toBe(
      'Voice connected',
    );
    expect(describeConnection({ status: 'rtcConnecting', channelName: 'General', pingMs: null }).label).toBe(
      'RTC connecting',
    );
    expect(describeConnection({ status: 'reconnecting', attempt: 2 }).label).toBe('Reconnecting (attempt 2)');
    expect(describeConnection({ status: 'offline', reason: 'removed' })).toEqual({
      label: 'Disconnected',
      detail: 'removed',
      tone: 'bad',
    });
  });

  it('reads "Reconnecting (attempt n)" as one phrase', () => {
    const html = renderToStaticMarkup(
      <ConnectionBadge connection={{ status: 'reconnecting', attempt: 3 }} />,
    );
    expect(html.replace(/<[^>]+>/g, '')).toBe('Reconnecting (attempt 3)');
    expect(html).toContain('data-status="reconnecting"');
  });

  it('renders the ping in whole milliseconds', () => {
    const html = renderToStaticMarkup(
      <ConnectionBadge connection={{ status: 'voiceConnected', channelName: 'General', pingMs: 31.6 }} />,
    );
    expect(html).toContain('data-status="voiceConnected"');
    expect(html).toMatch(/data-testid="ping"[^>]*>32 ms</);
  });
});

describe('VoiceChannelItem', () => {
  const channel = (userLimit: number, count: number): ChannelView => ({
    id: 'gaming',
    name: 'Gaming',
    userLimit,
    participants: fixtureViews.voice?.channels[1]?.participants.slice(0, count) ?? [],
  });

  it('shows n/limit and disables a full channel I am not in', () => {
    const full = parse(
      renderToStaticMarkup(<VoiceChannelItem channel={channel(4, 4)} selected={false} onJoin={noop} />),
    );
    expect(full.html).toMatch(/data-testid="channel-occupancy"[^>]*>4\/4</);
    expect(full.element('channel-row-gaming')).toContain('disabled');
    expect(full.element('channel-row-gaming')).toContain(
      'aria-label="Gaming, voice channel, 4 people of 4, full"',
    );

    const mine = parse(
      renderToStaticMarkup(<VoiceChannelItem channel={channel(4, 4)} selected onJoin={noop} />),
    );
    expect(mine.element('channel-row-gaming')).not.toContain('disabled');
    expect(mine.element('channel-row-gaming')).toContain('aria-current="true"');
  });

  it('has no occupancy badge without a limit and lists members with their state', () => {
    const html = renderToStaticMarkup(
      <VoiceChannelItem channel={channel(0, 2)} selected={false} onJoin={noop} />,
    );
    expect(html).not.toContain('channel-occupancy');
    expect(html).toContain('data-testid="channel-member-u-alan"');
    expect(html).toContain('LIVE');
    expect(isChannelFull(channel(0, 50), false)).toBe(false);
    expect(isChannelFull(channel(4, 3), false)).toBe(false);
  });
});

describe('MainLayout', () => {
  it('renders the voice view with a tile per participant and labelled controls', () => {
    const view = fixtureViews.voice;
    if (!view) throw new Error('fixture missing');
    const page = parse(renderToStaticMarkup(<MainLayout view={view} actions={actions} />));
    for (const participant of view.channels[0]?.participants ?? []) {
      expect(page.element(`tile-${participant.userId}`)).toBeDefined();
    }
    expect(page.element('tile-u-ada')).toContain('data-speaking="true"');
    // The "…" menu exists for others, not for me.
    expect(page.element('tile-menu-u-ada')).toContain('aria-label="Audio options for Ada Lovelace"');
    expect(page.element('tile-menu-u-me')).toBeUndefined();
    expect(page.element('mute-button')).toContain('aria-label="Mute"');
    expect(page.element('mute-button')).toContain('aria-pressed="false"');
    expect(page.element('deafen-button')).toContain('aria-label="Deafen"');
    expect(page.element('disconnect-button')).toContain('aria-label="Disconnect from voice"');
    expect(page.element('connection-badge')).toContain('data-status="voiceConnected"');
  });

  it('shows the empty state and no disconnect button when not in voice', () => {
    const view = fixtureViews.main;
    if (!view) throw new Error('fixture missing');
    const page = parse(
      renderToStaticMarkup(
        <MainLayout view={{ ...view, notice: 'That voice channel is full.' }} actions={actions} />,
      ),
    );
    expect(page.element('voice-view')).toBeUndefined();
    expect(page.element('disconnect-button')).toBeUndefined();
    expect(page.html).toContain('Pick a voice channel');
    expect(page.html).toContain('That voice channel is full.');
  });
});

describe('screen share in the voice view', () => {
  const view = fixtureViews.live;
  if (!view) throw new Error('the live fixture is missing');
  const page = parse(renderToStaticMarkup(<MainLayout view={view} actions={actions} />));

  it('puts the watched stream on the stage with its controls, and the tiles in a strip', () => {
    expect(page.element('stream-stage')).toBeDefined();
    expect(page.element('stream-view-u-ada')).toBeDefined();
    expect(page.element('stream-video-u-ada')).toContain('aria-label="Ada Lovelace&#x27;s screen"');
    // Ada shares audio: her stream has a volume slider; full screen, pop out and stop watching.
    expect(page.element('stream-volume-u-ada')).toContain('max="200"');
    for (const control of ['stream-fullscreen-u-ada', 'stream-popout-u-ada', 'stream-stop-watching-u-ada'])
      expect(page.element(control)).toBeDefined();
    expect(page.html).toContain('tile-grid tile-grid--strip');
  });

  it('offers "Watch stream" only for a live share I do not watch', () => {
    expect(page.element('watch-stream-u-linus')).toBeDefined();
    expect(page.element('watch-stream-u-ada')).toBeUndefined();
    expect(page.element('tile-u-linus')).toContain('data-streaming="true"');
    expect(page.element('tile-u-grace')).toContain('data-streaming="false"');
  });

  it('shows my own share: a preview on my tile, its quality, watchers and a stop button', () => {
    expect(page.element('self-share-preview')).toBeDefined();
    expect(page.element('share-quality')).toBeDefined();
    expect(page.html).toMatch(/data-testid="share-watchers"[^>]*>2 watching</);
    expect(page.element('stop-share-button')).toBeDefined();
    expect(page.element('screen-share-button')).toBeUndefined();
  });

  it('offers "Share screen" when I am not live', () => {
    const voice = fixtureViews.voice;
    if (!voice) throw new Error('the voice fixture is missing');
    const idle = parse(renderToStaticMarkup(<MainLayout view={voice} actions={actions} />));
    expect(idle.element('screen-share-button')).toContain('aria-label="Share your screen"');
    expect(idle.element('stream-stage')).toBeUndefined();
  });
});
