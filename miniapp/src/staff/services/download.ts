// Saving an export: the export needs our token in a header, so a plain link
// cannot fetch it; the page fetches it and hands the browser a file.
import Taro from '@tarojs/taro';

export async function saveFile(name: string, body: string, type: string): Promise<void> {
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
  Taro.getFileSystemManager().writeFileSync(`${Taro.env.USER_DATA_PATH}/${name}`, body, 'utf8');
}
