/** What the standalone page says about the model it serves. */
export interface StandaloneInfo {
  title: string;
  /** What the model is, e.g. "Oil paint (Kuwahara filter) · FastCUT · 64 px · Nov 25, 03:37 PM · step 3000". */
  description: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The custom layers as a classic script: browsers refuse ES modules from file:// pages, while
 * classic scripts load, so the page inlines the module with its `export`s dropped.
 */
export function classicScript(moduleSource: string): string {
  return moduleSource.replace(/^export /gm, '');
}

/**
 * index.html of an exported generator: opened straight from the unzipped folder (file://, no
 * server, no network) it stylizes photos with the model beside it. It reads tf.min.js and
 * model.js (the model as a script, since file:// pages cannot fetch files) from its folder.
 */
export function standalonePage(info: StandaloneInfo, layersModule: string): string {
  const title = escapeHtml(info.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 1.5rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
.controls { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 1rem 0; }
.pair { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; }
canvas { max-width: 100%; border: 1px solid #ccc; background: #eee; }
#status { font-weight: 600; }
</style>
<script src="tf.min.js"></script>
<script src="model.js"></script>
<script>
${classicScript(layersModule)}
</script>
</head>
<body>
<h1>${title}</h1>
<p>${escapeHtml(info.description)}. Trained in GAN Style Studio. Everything runs on this computer: nothing is uploaded, and no network is needed.</p>
<div class="controls">
  <label>Photo <input type="file" id="photo" accept="image/*"></label>
  <label>Longest side <select id="side"><option>256</option><option selected>512</option><option>1024</option></select></label>
  <a id="save" download="stylized.png" hidden>Download the result (PNG)</a>
</div>
<p id="status" role="status">Loading the model…</p>
<div class="pair">
  <figure><figcaption>Before</figcaption><canvas id="before" width="1" height="1"></canvas></figure>
  <figure><figcaption>After</figcaption><canvas id="after" width="1" height="1"></canvas></figure>
</div>
<script>
(async function () {
  var status = document.getElementById('status');
  var model;
  try {
    if (typeof tf === 'undefined') throw new Error('tf.min.js is missing from this folder');
    if (!window.GAN_STUDIO_MODEL) throw new Error('model.js is missing from this folder');
    registerGanStudioLayers(tf);
    var m = window.GAN_STUDIO_MODEL;
    var bytes = Uint8Array.from(atob(m.weights), function (c) { return c.charCodeAt(0); });
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: m.modelTopology, weightSpecs: m.weightSpecs, weightData: bytes.buffer }));
    status.textContent = 'Ready on ' + tf.getBackend() + ': choose a photo.';
  } catch (error) {
    status.textContent = 'The model could not be loaded: ' + error.message;
    return;
  }
  async function stylize() {
    var file = document.getElementById('photo').files[0];
    if (!file) return;
    status.textContent = 'Stylizing ' + file.name + '…';
    try {
      var bitmap = await createImageBitmap(file);
      var side = Number(document.getElementById('side').value);
      var scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
      // The generator halves the size twice and doubles it back, so sides must be multiples of 4.
      var width = Math.max(4, Math.round((bitmap.width * scale) / 4) * 4);
      var height = Math.max(4, Math.round((bitmap.height * scale) / 4) * 4);
      var before = document.getElementById('before');
      before.width = width;
      before.height = height;
      var context = before.getContext('2d');
      context.fillStyle = 'rgb(128,128,128)';
      context.fillRect(0, 0, width, height);
      context.drawImage(bitmap, 0, 0, width, height);
      var started = performance.now();
      var output = tf.tidy(function () {
        var x = tf.browser.fromPixels(before).toFloat().div(127.5).sub(1).expandDims(0);
        return model.predict(x).squeeze([0]).add(1).mul(127.5).clipByValue(0, 255).toInt();
      });
      var after = document.getElementById('after');
      after.width = width;
      after.height = height;
      await tf.browser.toPixels(output, after);
      output.dispose();
      var save = document.getElementById('save');
      save.href = after.toDataURL('image/png');
      save.hidden = false;
      status.textContent = 'Done: ' + width + '×' + height + ' in ' + Math.round(performance.now() - started) + ' ms.';
    } catch (error) {
      status.textContent = file.name + ' could not be stylized: ' + error.message;
    }
  }
  document.getElementById('photo').addEventListener('change', stylize);
  document.getElementById('side').addEventListener('change', stylize);
})();
</script>
</body>
</html>
`;
}
