// The face (liveness) check. The identity platform decides; the BFF asks it
// (POST /api/face-checks). On H5 the camera step is simulated and the
// platform compares on its own; in the mini-program the host's face SDK
// captures the face and hands back a one-time result token (verifyResult),
// which the BFF has the platform confirm.
import Taro from '@tarojs/taro';
import type { FaceCheckView } from '@flexins/shared';
import { api } from '../services/api';
import { randomKey } from '../services/session';

type HostFaceApi = { startFacialRecognitionVerify?: (options: Record<string, unknown>) => Promise<unknown> };

export const HOST_FACE_TEXT = {
  cancelled: '人脸核验已取消。需要时请再点“开始人脸核验”。',
  failed: '人脸核验没有完成，请在光线充足的地方正对手机重试；也可以带上身份证到就近人社窗口办理，咨询电话 12333',
};

/** The host SDK's result token from its reply, when it gave one. */
export function verifyResultOf(reply: unknown): string | undefined {
  const token = (reply as { verifyResult?: unknown } | null | undefined)?.verifyResult;
  return typeof token === 'string' && token.length > 0 ? token : undefined;
}

/** A host face SDK that did not finish: closed by the citizen, or failed. */
export function faceFailureMessage(err: unknown): string {
  const text = String((err as { errMsg?: string } | undefined)?.errMsg ?? (err as Error | undefined)?.message ?? '');
  return /cancel/i.test(text) ? HOST_FACE_TEXT.cancelled : HOST_FACE_TEXT.failed;
}

export async function checkFace(): Promise<FaceCheckView> {
  let verifyResult: string | undefined;
  if (process.env.TARO_ENV !== 'h5') {
    const host = Taro as unknown as HostFaceApi;
    if (host.startFacialRecognitionVerify) {
      try {
        verifyResult = verifyResultOf(await host.startFacialRecognitionVerify({ checkAliveType: 2 }));
      } catch (err) {
        throw new Error(faceFailureMessage(err));
      }
    }
  }
  // One key per attempt: a retry of this call is the same attempt.
  return api.faceCheck(randomKey(), verifyResult);
}
