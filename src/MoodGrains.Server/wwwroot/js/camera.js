// Webcam capture: frames are downscaled in the browser and sent as JPEG; nothing is kept after sending.

export class Camera {
  constructor(video, send, onStatus) {
    this.video = video;
    this.send = send;
    this.onStatus = onStatus;
    this.stream = null;
    this.timer = null;
    this.fps = 2;
    this.busy = false;
    this.canvas = document.createElement('canvas');
    this.canvas.width = 320;
    this.canvas.height = 240;
  }

  get on() { return this.stream !== null; }

  async start(fps) {
    this.fps = fps;
    this.stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
    this.video.srcObject = this.stream;
    await this.video.play().catch(() => {});
    // Frames grabbed before the first decoded video frame are black; wait for one.
    await new Promise(resolve => {
      if ('requestVideoFrameCallback' in this.video) this.video.requestVideoFrameCallback(() => resolve());
      else this.video.addEventListener('loadeddata', resolve, { once: true });
    });
    this.schedule();
  }

  setFps(fps) {
    this.fps = fps;
    if (this.on) this.schedule();
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    this.stream?.getTracks().forEach(t => t.stop());
    this.stream = null;
    this.video.srcObject = null;
  }

  schedule() {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.capture(), 1000 / this.fps);
    this.capture();
  }

  async capture() {
    // One frame in flight at a time: a slow server gets fewer frames, not a growing backlog.
    if (this.busy || !this.on) return;
    this.busy = true;
    try {
      const g = this.canvas.getContext('2d');
      g.drawImage(this.video, 0, 0, this.canvas.width, this.canvas.height);
      const blob = await new Promise(resolve => this.canvas.toBlob(resolve, 'image/jpeg', 0.85));
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      await this.send(btoa(binary));
    } catch (e) {
      this.onStatus?.(null, e);
    } finally {
      this.busy = false;
    }
  }
}
