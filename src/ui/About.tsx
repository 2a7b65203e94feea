/** Credits and licences: the page's own, and those of the bundled sample photos. */
export function About() {
  return (
    <details className="panel about">
      <summary>About, credits and licences</summary>
      <p>
        GAN Style Studio trains CycleGAN (Zhu, Park, Isola and Efros, 2017) with TensorFlow.js in a Web Worker. Nothing you add is uploaded: images are decoded and trained on in
        this tab only. The app is MIT-licensed.
      </p>
      <p>
        The sample photos are cropped and downscaled versions of wallpapers and test images from Debian packages (mate-backgrounds, lomiri-wallpapers, plasma-workspace-wallpapers,
        scikit-image), by their authors, under GPL-2+, LGPLv3, CC-BY-4.0, CC-BY-SA-3.0/4.0, CC0 and BSD-3-Clause. Every file’s author and licence is listed in{' '}
        <a href="samples/LICENSES.md">samples/LICENSES.md</a>; ShareAlike and GPL terms apply to those files when redistributed.
      </p>
    </details>
  );
}
