import {
  closeAction,
  DispatchEvent,
  decodeClientFrame,
  encode,
  GatewayOp,
  serverMessage,
} from '@miscord/protocol';

// A gateway decodes every text frame a client sends; decodeClientFrame never throws.
const frames = ['{"op":13,"d":{"speaking":1}}', '{"op":13,"d":{"speaking":4}}', '{"op":1,"d":3,"s":3}'];
for (const frame of frames) {
  const result = decodeClientFrame(frame);
  if (result.ok) {
    // The message is typed: narrowing on op gives that op's payload.
    if (result.message.op === GatewayOp.Speaking) console.log('speaking', result.message.d.speaking);
    continue;
  }
  const { error } = result;
  if (error.kind === 'error') {
    // The envelope was fine but d was not: answer with ERROR, keep the connection.
    const { code, message, op } = error;
    console.log('reply', encode(serverMessage.error({ code, message, op })));
  } else {
    // Close the socket with this code; a client then does closeAction(code).
    console.log('close', error.closeCode, error.reason, '→ client will', closeAction(error.closeCode));
  }
}

// Build a dispatch: the event name types its payload.
const relayed = serverMessage.dispatch(DispatchEvent.Signal, 42, {
  from: 'u_alice',
  data: { type: 'renegotiate', renegotiate: true },
});
console.log(encode(relayed));
