// The in-page QR decoder (jsQR) for browsers without BarcodeDetector. A separate bundle, loaded by
// the scan pages only when needed, so the other pages stay small on cheap phones.
import jsQR from "jsqr";

(window as unknown as { tlJsQR: typeof jsQR }).tlJsQR = jsQR;
