// S3 → thumbnailer: "resizes" each uploaded object. Work scales with the object's size, and
// objects whose key contains "corrupt" always fail, so the scenario shows Lambda's async retries
// and the on-failure destination.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const handler = async (event) => {
  const done = [];
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    if (key.includes('corrupt')) throw new Error(`cannot decode image ${key}`);
    const size = record.s3.object.size ?? 0;
    await sleep(5 + Math.min(50, size / 100_000));
    done.push(`thumbs/${key}`);
  }
  return { thumbnails: done };
};
