// Reading QR codes: LINE's scanner (liff.scanCodeV2) when available, otherwise the browser camera
// (back camera preferred, any camera otherwise, e.g. a laptop webcam) with BarcodeDetector or jsQR.
import { liff } from "./sdk";

type JsQr = (
	data: Uint8ClampedArray,
	width: number,
	height: number,
	options?: { inversionAttempts?: "dontInvert" | "onlyInvert" | "attemptBoth" | "invertFirst" },
) => { data: string } | null;
type Detector = { detect(source: CanvasImageSource): Promise<{ rawValue: string }[]> };
type DetectorClass = {
	new (options: { formats: string[] }): Detector;
	getSupportedFormats?: () => Promise<string[]>;
};

export const canUseLineScanner = () =>
	typeof liff.scanCodeV2 === "function" && liff.isApiAvailable?.("scanCodeV2") === true;

/** LINE's own scanner: the text read, or null when the person closed it. */
export async function scanWithLine(): Promise<string | null> {
	const result = await (liff.scanCodeV2 as () => Promise<{ value: string | null }>)();
	return result.value ?? null;
}

export class CameraError extends Error {}

let jsQrLoading: Promise<JsQr> | null = null;
function loadJsQr(): Promise<JsQr> {
	const w = window as unknown as { tlJsQR?: JsQr };
	if (w.tlJsQR) return Promise.resolve(w.tlJsQR);
	jsQrLoading ??= new Promise<JsQr>((resolve, reject) => {
		const script = document.createElement("script");
		script.src = "/app/qr-decoder.js";
		script.onload = () => (w.tlJsQR ? resolve(w.tlJsQR) : reject(new Error("decoder missing")));
		script.onerror = () => {
			jsQrLoading = null;
			reject(new CameraError("掃描元件載入失敗，請確認網路後再試一次。"));
		};
		document.head.append(script);
	});
	return jsQrLoading;
}

async function nativeDetector(): Promise<Detector | null> {
	const Native = (window as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
	if (!Native) return null;
	try {
		const formats = (await Native.getSupportedFormats?.()) ?? ["qr_code"];
		return formats.includes("qr_code") ? new Native({ formats: ["qr_code"] }) : null;
	} catch {
		return null;
	}
}

async function openStream(): Promise<MediaStream> {
	if (!navigator.mediaDevices?.getUserMedia)
		throw new CameraError("這個瀏覽器無法開啟相機，請改用 LINE 開啟，或輸入 QR Code 下方數字。");
	try {
		// "ideal": the back camera on phones, the only (user-facing) camera on a laptop.
		return await navigator.mediaDevices.getUserMedia({
			video: { facingMode: { ideal: "environment" } },
			audio: false,
		});
	} catch (err) {
		const name = (err as { name?: string }).name;
		if (name === "NotAllowedError" || name === "SecurityError")
			throw new CameraError("無法使用相機：請在手機設定中允許 LINE／瀏覽器使用相機，再試一次。");
		if (name === "NotFoundError" || name === "OverconstrainedError")
			throw new CameraError("找不到可以使用的相機，請輸入 QR Code 下方數字。");
		throw new CameraError("相機暫時無法開啟，請關閉其他使用相機的程式後再試一次。");
	}
}

export type CameraScan = { stop(): void };

/**
 * Shows the camera in `video` and calls `onText` for every QR read (the same code many times a
 * second: the caller filters). Resolves once the camera is open.
 */
export async function startCameraScan(
	video: HTMLVideoElement,
	onText: (text: string) => void,
): Promise<CameraScan> {
	const [stream, detector] = await Promise.all([openStream(), nativeDetector()]);
	let stopped = false;
	const stop = () => {
		stopped = true;
		for (const track of stream.getTracks()) track.stop();
		video.srcObject = null;
	};
	let jsQr: JsQr | null = null;
	try {
		if (!detector) jsQr = await loadJsQr();
		video.setAttribute("playsinline", "");
		video.muted = true;
		video.srcObject = stream;
		await video.play();
	} catch (err) {
		stop();
		throw err instanceof CameraError ? err : new CameraError("相機暫時無法開啟，請再試一次。");
	}
	const canvas = document.createElement("canvas");
	const context = canvas.getContext("2d", { willReadFrequently: true } as CanvasRenderingContext2DSettings);
	const tick = async () => {
		if (stopped) return;
		try {
			if (video.readyState >= 2 && video.videoWidth > 0) {
				if (detector) {
					for (const code of await detector.detect(video)) onText(code.rawValue);
				} else if (jsQr && context) {
					// Decode a reduced frame: fast enough on cheap phones, still reads a QR across a room.
					const scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
					canvas.width = Math.round(video.videoWidth * scale);
					canvas.height = Math.round(video.videoHeight * scale);
					context.drawImage(video, 0, 0, canvas.width, canvas.height);
					const image = context.getImageData(0, 0, canvas.width, canvas.height);
					const code = jsQr(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
					if (code?.data) onText(code.data);
				}
			}
		} catch {
			// A frame that cannot be read: try the next one.
		}
		if (!stopped) setTimeout(() => void tick(), 150);
	};
	void tick();
	return { stop };
}
