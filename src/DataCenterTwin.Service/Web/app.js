// The page of a dctwin serve session: the hall view (frames fetched from the server as the state
// changes), live plots of the key figures, and the run controls. Every call goes to the HTTP JSON
// API, which runs the same code as the gRPC services and checks the same tokens (?token=… in the
// page's address is sent as a bearer token). No library, no network beyond this server.
"use strict";
const DcTwin = (() => {
  const params = new URLSearchParams(location.search);
  if (params.get("token")) sessionStorage.setItem("dctwin-token", params.get("token"));
  const token = sessionStorage.getItem("dctwin-token");
  const headers = token ? { Authorization: "Bearer " + token } : {};
  const $ = id => document.getElementById(id);

  async function api(path, body) {
    const init = body === undefined ? { headers } : { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body) };
    const r = await fetch("/api/" + path, init);
    const json = await r.json();
    if (!r.ok) throw new Error(json.error || r.statusText);
    return json;
  }

  const stateName = s => (s || "").replace("SESSION_STATE_", "").toLowerCase();
  function clock(s) {
    const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    return `day ${d + 1}, ${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
  }

  async function list() {
    try {
      const reply = await api("sessions");
      const body = document.querySelector("#sessions tbody");
      body.innerHTML = "";
      for (const s of reply.sessions) {
        const tr = document.createElement("tr");
        const link = `/sessions/${encodeURIComponent(s.sessionId)}${token ? "?token=" + encodeURIComponent(token) : ""}`;
        tr.innerHTML = `<td><a></a></td><td></td><td></td><td></td>`;
        tr.cells[0].firstChild.href = link;
        tr.cells[0].firstChild.textContent = s.sessionId;
        tr.cells[1].textContent = s.scenario;
        tr.cells[2].textContent = stateName(s.state);
        tr.cells[3].textContent = clock(s.simTimeS);
        body.appendChild(tr);
      }
      $("status").textContent = "";
    } catch (e) {
      $("status").textContent = e.message;
    }
    setTimeout(list, 2000);
  }

  // A line plot on a plain canvas: several series over simulated time, a shared y range, axis labels.
  function plot(canvas, series, colours, fixedMin) {
    const ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height, left = 40, bottom = 16;
    ctx.fillStyle = "#14181e"; ctx.fillRect(0, 0, w, h);
    const points = series.flat().filter(p => Number.isFinite(p[1]));
    if (points.length < 1) return;
    let x0 = Math.min(...points.map(p => p[0])), x1 = Math.max(...points.map(p => p[0]));
    let y0 = fixedMin ?? Math.min(...points.map(p => p[1])), y1 = Math.max(...points.map(p => p[1]));
    if (x1 === x0) x1 = x0 + 1;
    if (y1 - y0 < 1e-9) { y1 += 0.5; y0 -= 0.5; }
    const pad = (y1 - y0) * 0.08; y1 += pad; if (fixedMin === undefined) y0 -= pad;
    const X = x => left + (x - x0) / (x1 - x0) * (w - left - 6), Y = y => 4 + (1 - (y - y0) / (y1 - y0)) * (h - bottom - 8);
    ctx.strokeStyle = "#39424f"; ctx.fillStyle = "#9aa5b4"; ctx.font = "10px 'DejaVu Sans', sans-serif"; ctx.lineWidth = 1;
    for (let i = 0; i <= 2; i++) {
      const y = y0 + (y1 - y0) * i / 2;
      ctx.beginPath(); ctx.moveTo(left, Y(y)); ctx.lineTo(w, Y(y)); ctx.stroke();
      ctx.fillText(y.toPrecision(3), 2, Y(y) + 3);
    }
    ctx.fillText(clock(x0), left, h - 3);
    const end = clock(x1); ctx.fillText(end, w - ctx.measureText(end).width - 4, h - 3);
    series.forEach((s, k) => {
      ctx.strokeStyle = colours[k]; ctx.lineWidth = 1.5; ctx.beginPath();
      s.forEach((p, i) => Number.isFinite(p[1]) && (i === 0 ? ctx.moveTo(X(p[0]), Y(p[1])) : ctx.lineTo(X(p[0]), Y(p[1]))));
      ctx.stroke();
    });
  }

  function session() {
    const id = decodeURIComponent(location.pathname.split("/").pop());
    const view = $("view"), vctx = view.getContext("2d");
    const history = [];           // [simTimeS, facility] per distinct step, at most 2,000
    let version = 0, frames = 0, info = null, pending = null;

    const say = (text, error) => { $("message").textContent = text; $("message").style.color = error ? "#ff6b6b" : "#9ad08a"; };
    async function act(label, path, body) {
      try {
        const reply = await api(`sessions/${encodeURIComponent(id)}/${path}`, body ?? {});
        show(reply.session || reply);
        say(label + (reply.appliesAtS !== undefined ? ` at ${clock(reply.appliesAtS)}` : ""), false);
      } catch (e) {
        say(e.message, true);
      }
    }

    function show(s) {
      info = s;
      $("scenario").textContent = s.scenario;
      $("state").textContent = stateName(s.state);
      $("simtime").textContent = `${clock(s.simTimeS)} of ${clock(s.horizonS)}`;
      document.body.dataset.state = stateName(s.state);
    }

    // Frames: ask for the next one as soon as one arrives; the server answers when the state or the view changed.
    async function frameLoop() {
      while (true) {
        const q = new URLSearchParams({ width: view.width, height: view.height, format: "jpeg", quality: 85,
          camera: $("camera").value, colorBy: $("colorBy").value, after: version });
        try {
          pending = new AbortController();
          const r = await fetch(`/api/sessions/${encodeURIComponent(id)}/frame?${q}`, { headers, signal: pending.signal });
          if (!r.ok) throw new Error((await r.json()).error);
          const v = Number(r.headers.get("X-Frame-Version"));
          const bitmap = await createImageBitmap(await r.blob());
          vctx.drawImage(bitmap, 0, 0, view.width, view.height);
          if (v !== version) frames++;
          version = v;
          document.body.dataset.frames = frames;
          $("frameinfo").textContent = `frame ${frames} · ${r.headers.get("X-Render-Ms")} ms drawing, ${r.headers.get("X-Encode-Ms")} ms encoding`;
          $("status").textContent = "";
        } catch (e) {
          if (e.name === "AbortError") continue;
          $("status").textContent = "view: " + e.message;
          await new Promise(done => setTimeout(done, 1000));
        }
      }
    }

    async function figureLoop() {
      while (true) {
        try {
          show(await api(`sessions/${encodeURIComponent(id)}`));
          const snap = await api(`sessions/${encodeURIComponent(id)}/snapshot?parts=facility`);
          const last = history[history.length - 1];
          if (!last || last[0] !== snap.simTimeS) {
            if (last && snap.simTimeS < last[0]) history.length = 0;
            history.push([snap.simTimeS, snap.facility]);
            if (history.length > 2000) history.shift();
            const at = f => history.map(([t, s]) => [t, f(s)]);
            plot($("plotPower"), [at(f => f.totalPowerW / 1e6), at(f => f.gridPowerW / 1e6), at(f => f.gridCapW > 0 ? f.gridCapW / 1e6 : NaN)], ["#5ab0ff", "#ffb27a", "#ff6b6b"], 0);
            plot($("plotPue"), [at(f => f.pue)], ["#5ab0ff"]);
            plot($("plotGas"), [at(f => f.gasShare * 100)], ["#9ad08a"], 0);
            plot($("plotWater"), [at(f => f.facilitySupplyC)], ["#5ab0ff"]);
          }
        } catch (e) {
          $("status").textContent = e.message;
        }
        await new Promise(done => setTimeout(done, 500));
      }
    }

    $("start").onclick = () => act("running", "start");
    $("pause").onclick = () => act("paused", "pause");
    $("step").onclick = () => act("stepped one hour", "step", { durationS: 3600 });
    $("applyMode").onclick = () => {
      const mode = $("mode").value, target = $("chiller").value;
      act(`chiller ${target}: ${$("mode").selectedOptions[0].text}`, "control", mode === "release"
        ? { kind: "CONTROL_KIND_CHILLER_MODE", target, release: true, atNow: true, source: "web page" }
        : { kind: "CONTROL_KIND_CHILLER_MODE", target, mode, atNow: true, source: "web page" });
    };
    $("demandResponse").onclick = () => act("demand response", "event", {
      kind: "EVENT_KIND_DEMAND_RESPONSE", atNow: true, durationS: Number($("drHours").value) * 3600, magnitudeW: Number($("drKw").value) * 1000 });
    // A new view is drawn at once: the waiting request for the old one is dropped.
    for (const s of ["camera", "colorBy"]) $(s).onchange = () => { version = 0; pending?.abort(); };

    api(`sessions/${encodeURIComponent(id)}/topology`).then(t => {
      for (const c of t.chillers) {
        const o = document.createElement("option");
        o.value = c.name; o.textContent = `${c.name} (${c.kind})`;
        $("chiller").appendChild(o);
      }
    }).catch(e => say(e.message, true));
    frameLoop();
    figureLoop();
  }

  return { list, session };
})();
