// Saving an export: the export needs our token in a header, so a plain link
// cannot fetch it; the page fetches it and hands the browser a file.
import Taro from '@tarojs/taro';

/** `body`: text (CSV, JSON) or bytes (an Excel workbook). */
export async function saveFile(name: string, given: string | ArrayBuffer, type: string): Promise<void> {
  // Reading the reply as text drops the CSV's byte-order mark, which spreadsheet software needs to read Chinese.
  const body =
    typeof given === 'string' && type.startsWith('text/csv') && !given.startsWith('\uFEFF') ? `\uFEFF${given}` : given;
  if (process.env.TARO_ENV === 'h5') {
    const url = URL.createObjectURL(new Blob([body], { type }));
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return;
  }
  // In the mini-program: a file in the app's own storage.
  const path = `${Taro.env.USER_DATA_PATH}/${name}`;
  if (typeof body === 'string') Taro.getFileSystemManager().writeFileSync(path, body, 'utf8');
  else Taro.getFileSystemManager().writeFileSync(path, body);
}
