export { GET } from "../status.json/route";
